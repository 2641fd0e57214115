import { html, type SafeHtml } from '../http/html.js';
import { barChart, percent } from './barChart.js';
import type { UptakeStats } from './uptakeStats.js';

const SIGNUP_OUTCOMES = ['blocked_pumping', 'blocked_velocity', 'blocked_other', 'requested'];
const COUNTRIES_SHOWN = 8;

/** `webauthn (phishing-resistant)` for the methods that are. */
function methodLabel(method: string, phishingResistant: boolean): string {
  return phishingResistant ? `${method} (phishing-resistant)` : method;
}

/**
 * The uptake charts: MFA enrolment by factor, the signup pumping-signal rate, step-up approvals
 * by method with the phishing-resistant share, and drop-off by the phone number's country.
 */
export function uptakeCharts(stats: UptakeStats): SafeHtml {
  const { activeUsers, methods } = stats.enrolment;
  const any = methods.find((row) => row.method === 'any')?.users ?? 0;
  const signupTotal = stats.signup.reduce((sum, row) => sum + row.count, 0);
  const signup = new Map(stats.signup.map((row) => [row.outcome, row.count]));
  const pumping = signup.get('blocked_pumping') ?? 0;
  const stepUpTotal = stats.stepUps.reduce((sum, row) => sum + row.count, 0);
  const resistant = stats.stepUps
    .filter((row) => row.phishingResistant)
    .reduce((sum, row) => sum + row.count, 0);
  return html`${barChart({
    title: `MFA enrolment uptake: ${percent(any, activeUsers)} of ${activeUsers} active users`,
    tone: 'teal',
    bars: [...methods]
      .sort((a, b) => Number(b.method === 'any') - Number(a.method === 'any') || b.users - a.users)
      .map((row) => ({
        label:
          row.method === 'any'
            ? 'any second factor'
            : methodLabel(row.method, row.method === 'webauthn'),
        fraction: activeUsers === 0 ? 0 : row.users / activeUsers,
        text: `${percent(row.users, activeUsers)} (${row.users})`,
      })),
  })}
${barChart({
  title: `Signup pumping-signal rate: ${percent(pumping, signupTotal)} of ${signupTotal} signup send attempts`,
  tone: 'red',
  bars: SIGNUP_OUTCOMES.filter((outcome) => signup.has(outcome)).map((outcome) => {
    const count = signup.get(outcome) ?? 0;
    return {
      label: outcome,
      fraction: signupTotal === 0 ? 0 : count / signupTotal,
      text: `${percent(count, signupTotal)} (${count})`,
    };
  }),
})}
${barChart({
  title: `Step-up approvals by method: ${percent(resistant, stepUpTotal)} phishing-resistant`,
  tone: 'violet',
  bars: [...stats.stepUps]
    .sort((a, b) => b.count - a.count)
    .map((row) => ({
      label: methodLabel(row.method, row.phishingResistant),
      fraction: stepUpTotal === 0 ? 0 : row.count / stepUpTotal,
      text: `${percent(row.count, stepUpTotal)} (${row.count})`,
    })),
  note: 'Counted from the audit trail: every step-up the step-up router accepted, by the method that proved it.',
})}
${barChart({
  title: 'Drop-off by country: codes requested, never approved',
  bars: stats.countries.slice(0, COUNTRIES_SHOWN).map((row) => {
    const dropped = Math.max(0, row.requested - row.approved);
    return {
      label: row.country,
      fraction: row.requested === 0 ? 0 : dropped / row.requested,
      text: `${percent(dropped, row.requested)} of ${row.requested}`,
    };
  }),
  note: 'By the country of the phone number (ZZ: unknown); codes still pending count as dropped until approved.',
})}`;
}
