import { html, type SafeHtml } from '../http/html.js';

/** One bar: a label, a length between 0 and 1, and the text printed after it. */
export interface Bar {
  label: string;
  fraction: number;
  text: string;
}

const WIDTH = 500;
const LABEL = 200;
const ROW = 26;
const BAR = 16;

/**
 * A horizontal bar chart as inline SVG, drawn on the server (no script, no chart library).
 * Labels are escaped like any other text; an empty series says so; `note` is a line under it.
 */
export function barChart({
  title,
  bars,
  tone = 'blue',
  note,
}: {
  title: string;
  bars: readonly Bar[];
  tone?: string;
  note?: string;
}): SafeHtml {
  const footer = note === undefined ? null : html`<p class="hint">${note}</p>`;
  if (bars.length === 0)
    return html`<figure class="chart"><figcaption>${title}</figcaption><p class="hint">No data yet.</p>${footer}</figure>`;
  const height = bars.length * ROW + 8;
  const span = WIDTH - LABEL - 70;
  return html`<figure class="chart"><figcaption>${title}</figcaption>
<svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${title}">
${bars.map((bar, index) => {
  const y = index * ROW + 4;
  const length = Math.max(0, Math.min(1, bar.fraction)) * span;
  return html`<text x="${LABEL - 8}" y="${y + BAR - 3}" text-anchor="end" class="label">${bar.label}</text>
<rect x="${LABEL}" y="${y}" width="${span}" height="${BAR}" rx="3" class="track"></rect>
<rect x="${LABEL}" y="${y}" width="${length.toFixed(1)}" height="${BAR}" rx="3" class="bar ${tone}"></rect>
<text x="${LABEL + span + 6}" y="${y + BAR - 3}" class="value">${bar.text}</text>`;
})}
</svg>${footer}</figure>`;
}

/** `12 %` for a ratio, `—` when there is nothing to divide. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 100)} %`;
}
