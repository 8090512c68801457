// Which editing sessions are open right now in other tabs or windows of this browser (or of the
// desktop app, whose windows share an origin). A recovery belongs to a crashed or closed session;
// one whose session still answers is that tab's live autosave and must not be offered elsewhere.
const CHANNEL = 'netwright-sessions';
/** How long a new session waits for the others to answer (they answer within a task or two). */
const ANSWER_WAIT_MS = 300;

type Message = { kind: 'who-is-open'; from: string } | { kind: 'open'; id: string; to: string };

let channel: BroadcastChannel | null = null;

/** Answer every other session's roll call with this session's current recovery id. */
export function announceSession(currentId: () => string): void {
  if (channel || typeof BroadcastChannel === 'undefined') return;
  channel = new BroadcastChannel(CHANNEL);
  channel.addEventListener('message', (event: MessageEvent<Message>) => {
    const m = event.data;
    if (m?.kind === 'who-is-open') channel?.postMessage({ kind: 'open', id: currentId(), to: m.from });
  });
}

/** The recovery ids of the sessions open elsewhere (empty where BroadcastChannel is missing). */
export async function openSessionIds(): Promise<Set<string>> {
  const open = new Set<string>();
  if (typeof BroadcastChannel === 'undefined') return open;
  const asker = new BroadcastChannel(CHANNEL);
  const from = Math.random().toString(36).slice(2);
  asker.addEventListener('message', (event: MessageEvent<Message>) => {
    const m = event.data;
    if (m?.kind === 'open' && m.to === from) open.add(m.id);
  });
  asker.postMessage({ kind: 'who-is-open', from });
  await new Promise((resolve) => setTimeout(resolve, ANSWER_WAIT_MS));
  asker.close();
  return open;
}
