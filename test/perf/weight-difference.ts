// The largest absolute difference between two models' weights (not a test file itself).

export function worstWeightDifference(got: ArrayLike<number>[], want: ArrayLike<number>[]): number {
  let worst = 0;
  got.forEach((w, i) => {
    for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(w[j] - want[i][j]));
  });
  return worst;
}
