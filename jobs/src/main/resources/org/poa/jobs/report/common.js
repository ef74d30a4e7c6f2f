'use strict';
// Shared by the report pages: reads the embedded data, builds sections, tables and ECharts charts.
// Text from the tables is only ever set as text (textContent), never parsed as HTML.
const POA = (() => {
  const data = JSON.parse(document.getElementById('poa-data').textContent);
  const page = document.getElementById('page');
  const instances = [];
  const names = [];

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.entries(props || {}).forEach(([k, v]) => {
      if (k === 'dataset') Object.assign(node.dataset, v); else node[k] = v;
    });
    children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return node;
  }

  function section(id, title, note, wide) {
    const s = el('section', {id: id, className: wide ? 'wide' : ''}, el('h2', {}, title));
    if (note) s.append(el('p', {className: 'note'}, note));
    page.append(s);
    return s;
  }

  function notice(text) {
    page.append(el('div', {className: 'notice', id: 'notice'}, text));
  }

  function chart(parent, name, option, height) {
    const div = el('div', {className: 'chart', dataset: {chart: name}});
    if (height) div.style.height = height + 'px';
    parent.append(div);
    const c = echarts.init(div, null, {renderer: 'svg'});
    c.setOption(Object.assign({animation: false, tooltip: {trigger: 'item', confine: true}}, option));
    instances.push(c);
    names.push(name);
    return c;
  }

  // columns: [{title, value: row => text, num: true when right-aligned}]
  function table(parent, columns, rows, caption) {
    const t = el('table', {},
      el('thead', {}, el('tr', {}, columns.map(c => el('th', {className: c.num ? 'num' : ''}, c.title)))),
      el('tbody', {}, rows.map(r => el('tr', {}, columns.map(c => {
        const v = c.value(r);
        return el('td', {className: (c.num ? 'num' : '') + (c.mono ? ' mono' : '')}, v == null ? '' : v);
      })))));
    if (caption) {
      const d = el('details', {}, el('summary', {}, caption), t);
      parent.append(d);
      return d;
    }
    parent.append(t);
    return t;
  }

  function cards(parent, items) {
    parent.append(el('div', {className: 'cards'}, items.map(([label, value]) =>
      el('div', {className: 'card'}, el('b', {}, value == null ? '–' : value), el('span', {}, label)))));
  }

  // Wei amounts arrive as decimal strings (exact); charts plot them in tokens of 10^18 wei.
  function tokens(wei) {
    return wei == null ? 0 : Number(BigInt(wei)) / 1e18;
  }

  function fmtTokens(wei) {
    if (wei == null) return '–';
    const v = BigInt(wei);
    const whole = v / 1000000000000000000n;
    const frac = (v % 1000000000000000000n).toString().padStart(18, '0').slice(0, 6);
    return whole.toLocaleString('en-US') + '.' + frac;
  }

  function short(hex) {
    return hex && hex.length > 14 ? hex.slice(0, 8) + '…' + hex.slice(-4) : hex;
  }

  function pct(x) {
    return x == null || !isFinite(x) ? '–' : (100 * x).toFixed(1) + '%';
  }

  function copyable(parent, id, text) {
    const pre = el('pre', {id: id}, text);
    const button = el('button', {type: 'button'}, 'Copy');
    button.addEventListener('click', () => {
      const range = document.createRange();
      range.selectNodeContents(pre);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      if (navigator.clipboard) navigator.clipboard.writeText(pre.textContent).catch(() => {});
    });
    parent.append(pre, button);
    return pre;
  }

  function done() {
    window.addEventListener('resize', () => instances.forEach(c => c.resize()));
    document.body.dataset.charts = names.join(',');
    document.body.dataset.ready = 'true';
  }

  return {data, el, section, notice, chart, table, cards, tokens, fmtTokens, short, pct, copyable, done};
})();
