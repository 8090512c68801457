// SYNTHETIC consumer-credit table for finance demos (no real borrowers): 10 numeric applicant
// features and whether the loan defaulted. The default probability is a logistic function of the
// features (more debt, utilisation, late payments, inquiries and a larger loan raise it; income,
// credit history and employment lower it), and the label is a seeded Bernoulli draw from it — so
// no model can be perfect, and about a quarter of the loans default.
import { createRng, gaussian } from '../../random.ts';

export const CREDIT_COLUMNS = [
  'income_k',
  'debt_ratio',
  'age',
  'credit_history_years',
  'open_accounts',
  'late_payments',
  'utilization',
  'loan_amount_k',
  'employment_years',
  'recent_inquiries',
  'default',
] as const;

export function generateCredit(rows: number, seed: number): (number | string)[][] {
  const rng = createRng(seed);
  const poisson = (lambda: number) => {
    let k = 0;
    for (let p = Math.exp(-lambda), s = p, u = rng(); u > s; k++) {
      p *= lambda / (k + 1);
      s += p;
    }
    return k;
  };
  const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
  const out: (number | string)[][] = [];
  for (let i = 0; i < rows; i++) {
    const age = Math.round(21 + 50 * rng());
    const income = round(Math.exp(Math.log(50) + 0.45 * gaussian(rng)), 1);
    const debt = round(Math.min(0.95, Math.max(0, 0.3 + 0.15 * gaussian(rng))));
    const history = round(Math.min(age - 18, Math.max(0, (age - 18) * rng())), 1);
    const accounts = 1 + poisson(4);
    const late = poisson(0.6);
    const util = round(Math.min(1, Math.max(0, 0.35 + 0.25 * gaussian(rng))));
    const loan = round(2 + 40 * rng() ** 1.5, 1);
    const employment = round(Math.min(age - 18, 20 * rng() ** 1.3), 1);
    const inquiries = poisson(1.2);
    const logit =
      -1.6 +
      4 * (debt - 0.3) +
      0.8 * late +
      3 * (util - 0.35) -
      0.025 * (income - 50) -
      0.06 * (history - 10) +
      0.04 * (loan - 12) +
      0.25 * (inquiries - 1.2) -
      0.04 * (employment - 6);
    const defaulted = rng() < 1 / (1 + Math.exp(-logit));
    out.push([
      income,
      debt,
      age,
      history,
      accounts,
      late,
      util,
      loan,
      employment,
      inquiries,
      defaulted ? 'yes' : 'no',
    ]);
  }
  return out;
}
