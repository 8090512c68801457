// The window never freezes during training (issue 6): while a run streams per-batch and per-epoch
// progress and the loss chart redraws, the page's event loop keeps answering within 100 ms. Measured
// inside the page with a 20 ms setInterval (how late each tick fires) and PerformanceObserver
// 'longtask' entries (main-thread tasks over 50 ms).
import type { Page } from '@playwright/test';
import { test, expect, openTemplate } from './support/fixtures.ts';

interface LoopFigures {
  ticks: number;
  worst5: number[];
  worstLateMs: number;
  meanLateMs: number;
  longTasks: number;
  longestTaskMs: number;
}

/** Watch this page's event loop for `ms`: a 20 ms interval's lateness and the long tasks seen. */
function measureLoop(page: Page, ms: number): Promise<LoopFigures> {
  return page.evaluate(async (ms) => {
    const late: number[] = [];
    const tasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask' });
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      late.push(Math.max(0, now - last - 20));
      last = now;
    }, 20);
    await new Promise((resolve) => setTimeout(resolve, ms));
    clearInterval(timer);
    observer.disconnect();
    return {
      ticks: late.length,
      worst5: [...late]
        .sort((a, b) => b - a)
        .slice(0, 5)
        .map((v) => Math.round(v)),
      worstLateMs: Math.max(0, ...late),
      meanLateMs: late.reduce((a, b) => a + b, 0) / Math.max(1, late.length),
      longTasks: tasks.length,
      longestTaskMs: Math.max(0, ...tasks),
    } satisfies LoopFigures;
  }, ms);
}

function describe(f: LoopFigures): string {
  return (
    `${f.ticks} ticks of a 20 ms interval, worst ${f.worstLateMs.toFixed(1)} ms late ` +
    `(worst five ${f.worst5.join(', ')}), mean ${f.meanLateMs.toFixed(1)} ms; ` +
    `${f.longTasks} long tasks, longest ${f.longestTaskMs.toFixed(1)} ms`
  );
}

test('the event loop answers within 100 ms while a training run streams progress', async ({ app: page }) => {
  // Count what the engine streams to this page, as WebSocket frames, per kind of progress event
  // (through the DevTools protocol: the page opened its socket before the test began).
  const streamed = { batch: 0, epoch: 0 };
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Network.webSocketFrameReceived', ({ response }) => {
    if (response.payloadData.includes('"phase":"batch"')) streamed.batch++;
    else if (response.payloadData.includes('"phase":"epoch"')) streamed.epoch++;
  });
  await cdp.send('Network.enable');

  await openTemplate(page, 'iris-mlp');
  // For comparison: the same measurement with nothing training (the machine's own noise).
  const idle = await measureLoop(page, 2000);
  console.log(`event loop idle (2 s): ${describe(idle)}`);
  // Many short epochs: on an idle machine an Iris epoch takes a few milliseconds, so epoch events
  // arrive tens of times a second, with batch events (the engine sends up to ten a second) between.
  await page.getByTestId('train-epochs').fill('100000');
  await page.getByTestId('train-batch-size').fill('16');
  await page.getByTestId('train-button').click();
  const chart = page.getByTestId('chart-loss');
  await expect(chart).toHaveAttribute('data-points', /^[1-9]\d*$/, { timeout: 60_000 });

  // Up to three 6-second windows, the first that meets the bounds counting: a loaded machine (other
  // processes taking the renderer's core) makes a single tick late now and then, while a page that
  // blocks on progress events misses in every window.
  const seconds = 6;
  const windows: string[] = [];
  let passed = false;
  for (let attempt = 0; attempt < 3 && !passed; attempt++) {
    const pointsBefore = Number(await chart.getAttribute('data-points'));
    const eventsBefore = streamed.batch + streamed.epoch;
    const figures = await measureLoop(page, seconds * 1000);
    const pointsAfter = Number(await chart.getAttribute('data-points'));
    const events = streamed.batch + streamed.epoch - eventsBefore;
    windows.push(
      `window ${attempt + 1} (${seconds} s): ${describe(figures)}; ${events} progress events received (${(events / seconds).toFixed(0)}/s; ` +
        `${streamed.batch} batch, ${streamed.epoch} epoch in all); loss chart ${pointsBefore} → ${pointsAfter} points`,
    );
    console.log(`event loop during training, ${windows.at(-1)}`);
    // The run really was streaming and the chart really was updating while we measured.
    expect(events).toBeGreaterThan(seconds * 5);
    expect(streamed.batch).toBeGreaterThan(0);
    expect(pointsAfter).toBeGreaterThan(pointsBefore + seconds * 2);
    expect(figures.ticks).toBeGreaterThan(seconds * 20);
    passed = figures.worstLateMs < 100 && figures.longestTaskMs < 100;
  }
  // The idle figures say how much of a miss the machine itself (other processes) could explain.
  expect(passed, `${windows.join('\n')}\nidle: ${describe(idle)}`).toBe(true);

  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'cancelled', {
    timeout: 30_000,
  });
});
