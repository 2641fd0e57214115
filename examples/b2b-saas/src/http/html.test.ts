import { describe, expect, it } from 'vitest';
import { barChart } from '../dashboard/barChart.js';
import { escapeHtml, html } from './html.js';

describe('html', () => {
  it('escapes interpolated text, including quotes for attribute values', () => {
    const name = `"><script>alert('x')</script>`;
    expect(html`<input value="${name}">`.value).toBe(
      '<input value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;">',
    );
  });

  it('keeps nested html output and lists as markup, and drops null, undefined and false', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}`.value).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>',
    );
  });

  it('escapes chart labels like any other text', () => {
    const svg = barChart({ title: 'T<', bars: [{ label: '<b>', fraction: 2, text: '1' }] }).value;
    expect(svg).toContain('&lt;b&gt;');
    expect(svg).not.toContain('<b>');
    expect(escapeHtml('`&')).toBe('&#96;&amp;');
  });
});
