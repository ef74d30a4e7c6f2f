'use strict';
// The epoch report (poa report --epoch N): docs/reports.md lists its sections.
(() => {
  const {data, el, section, notice, chart, table, cards, tokens, fmtTokens, short, pct, copyable, done} = POA;
  const ROLES = ['protocol', 'developer', 'validator', 'data', 'unattributed'];
  document.getElementById('subtitle').textContent = 'lakehouse ' + data.lakehouse;

  const summary = section('summary', 'Epoch ' + data.epoch + ' at a glance', null, true);
  const ledger = data.ledger || {};
  cards(summary, [
    ['accepted inferences', data.inferences.toLocaleString('en-US')],
    ['fees (tokens)', data.ledger ? fmtTokens(ledger.fees_wei) : null],
    ['unattributed (tokens)', data.ledger ? fmtTokens(ledger.unattributed_wei) : null],
    ['accounts in the root', data.ledger ? ledger.accounts : null],
    ['root', data.settlement.root ? short(data.settlement.root.root) : null],
  ]);
  if (data.empty) {
    notice('Epoch ' + data.epoch + ' has no accepted inferences: nothing was paid in it. '
      + 'The history and ingestion health below cover every epoch.');
  } else if (!data.ledger) {
    notice('The rewards of epoch ' + data.epoch + ' have not been computed yet (no reward_epochs row): run poa rewards --epoch ' + data.epoch + '.');
  }

  if (!data.empty) {
    const models = data.moneyFlow.map(m => m.model_id);
    const flow = section('money-flow', 'Money flow: fees to protocol, developer, validators, data and unattributed, per model',
      'Stacked: the rewards of each role, in tokens of 10^18 wei; the table has the exact wei.', true);
    chart(flow, 'money-flow', {
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, confine: true},
      legend: {top: 0}, grid: {left: 60, right: 20, top: 40, bottom: 60},
      xAxis: {type: 'category', data: models, axisLabel: {rotate: models.length > 4 ? 30 : 0}},
      yAxis: {type: 'value', name: 'tokens'},
      series: ROLES.map(r => ({name: r, type: 'bar', stack: 'fee', data: data.moneyFlow.map(m => tokens(m[r + '_wei']))})),
    });
    table(flow, [
      {title: 'model', value: m => m.model_id},
      {title: 'inferences', value: m => m.inferences, num: true},
      {title: 'fees (wei)', value: m => m.fees_wei, num: true},
    ].concat(ROLES.map(r => ({title: r + ' (wei)', value: m => m[r + '_wei'], num: true}))), data.moneyFlow, 'Exact amounts per model');

    const contributors = section('top-contributors', 'Top contributors by data reward',
      'The ' + data.topContributors.length + ' accounts paid most for data this epoch (exact wei in the table), with the datanets and methods that credited them.');
    const tc = data.topContributors.slice().reverse();
    chart(contributors, 'top-contributors', {
      grid: {left: 110, right: 30, top: 10, bottom: 30},
      xAxis: {type: 'value', name: 'tokens'},
      yAxis: {type: 'category', data: tc.map(c => short(c.account))},
      series: [{name: 'data reward', type: 'bar', data: tc.map(c => tokens(c.data_wei)), itemStyle: {color: '#2f6fb2'}}],
    });
    table(contributors, [
      {title: 'account', value: c => c.account, mono: true},
      {title: 'data reward (wei)', value: c => c.data_wei, num: true},
      {title: 'datanets', value: c => (c.datanets || []).join(', ')},
      {title: 'methods', value: c => (c.methods || []).join(', ')},
    ], data.topContributors, 'Accounts, datanets and methods');

    const contributions = section('top-contributions', 'Top contributions by credit, per method',
      'Credit = the contribution\'s attribution weight summed over the inferences it was credited in: the top of each method (n-gram spans, gradient influence).');
    const methods = [...new Set(data.topContributions.map(c => c.method))].sort();
    const ids = [...new Set(data.topContributions.map(c => c.contribution_id))];
    chart(contributions, 'top-contributions', {
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, confine: true},
      legend: {top: 0}, grid: {left: 110, right: 30, top: 30, bottom: 30},
      xAxis: {type: 'value', name: 'credit'},
      yAxis: {type: 'category', data: ids.map(short).reverse()},
      series: methods.map(method => ({name: method, type: 'bar', stack: 'credit',
        data: ids.map(id => {
          const c = data.topContributions.find(x => x.contribution_id === id && x.method === method);
          return c ? c.credit : 0;
        }).reverse()})),
    }, Math.max(320, 18 * ids.length + 70));
    table(contributions, [
      {title: 'contribution', value: c => short(c.contribution_id), mono: true},
      {title: 'contributor', value: c => short(c.contributor), mono: true},
      {title: 'datanet', value: c => c.datanet_id},
      {title: 'method', value: c => c.method},
      {title: 'credit', value: c => c.credit.toFixed(3), num: true},
      {title: 'inferences', value: c => c.inferences, num: true},
    ], data.topContributions, 'Contributions, contributors and datanets');

    const shares = section('datanet-shares', 'Datanet shares per model',
      'Each model\'s attribution weight by datanet (both methods), as a share of the model\'s total.');
    const datanets = [...new Set(data.datanetShares.map(d => d.datanet_id))].sort();
    const shareModels = [...new Set(data.datanetShares.map(d => d.model_id))].sort();
    const totalOf = m => data.datanetShares.filter(d => d.model_id === m).reduce((a, d) => a + d.credit, 0);
    chart(shares, 'datanet-shares', {
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, confine: true, valueFormatter: v => v.toFixed(1) + '%'},
      legend: {top: 0}, grid: {left: 60, right: 20, top: 40, bottom: 40},
      xAxis: {type: 'category', data: shareModels},
      yAxis: {type: 'value', max: 100, name: '%'},
      series: datanets.map(d => ({name: d, type: 'bar', stack: 'share', data: shareModels.map(m => {
        const credit = data.datanetShares.filter(x => x.model_id === m && x.datanet_id === d).reduce((a, x) => a + x.credit, 0);
        const total = totalOf(m);
        return total > 0 ? 100 * credit / total : 0;
      })})),
    });
    table(shares, [
      {title: 'model', value: d => d.model_id}, {title: 'datanet', value: d => d.datanet_id},
      {title: 'method', value: d => d.method}, {title: 'credit', value: d => d.credit.toFixed(3), num: true},
    ], data.datanetShares, 'Credit per model, datanet and method');

    const conc = data.concentration;
    const concentration = section('concentration', 'Concentration of data rewards',
      'Lorenz curve of the data rewards over the ' + conc.accounts + ' accounts paid for data: the share of the total held by the poorest x% of accounts.');
    cards(concentration, [['Gini coefficient', conc.gini == null ? null : conc.gini.toFixed(3)],
      ['top-10 share', pct(conc.top10_share)], ['accounts', conc.accounts]]);
    chart(concentration, 'lorenz', {
      tooltip: {trigger: 'axis', confine: true},
      grid: {left: 50, right: 20, top: 20, bottom: 40},
      xAxis: {type: 'value', min: 0, max: 1, name: 'accounts'},
      yAxis: {type: 'value', min: 0, max: 1, name: 'share'},
      series: [
        {name: 'equality', type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: {type: 'dashed', color: '#999'}},
        {name: 'Lorenz curve', type: 'line', data: conc.lorenz, symbol: 'none', areaStyle: {opacity: 0.15}},
      ],
    });

    const cov = section('coverage', 'Attribution coverage per model',
      'Share of each model\'s inferences with n-gram evidence, gradient evidence, both, or none (none: the data part went to the treasury as unattributed).');
    const parts = [['both', 'both'], ['ngram_only', 'n-gram only'], ['gradient_only', 'gradient only'], ['none', 'none']];
    chart(cov, 'coverage', {
      tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, confine: true},
      legend: {top: 0}, grid: {left: 60, right: 20, top: 40, bottom: 40},
      xAxis: {type: 'category', data: data.coverage.map(c => c.model_id)},
      yAxis: {type: 'value', name: 'inferences'},
      series: parts.map(([k, label]) => ({name: label, type: 'bar', stack: 'cov', data: data.coverage.map(c => c[k])})),
    });
    table(cov, [{title: 'model', value: c => c.model_id}, {title: 'inferences', value: c => c.inferences, num: true}]
      .concat(parts.map(([k, label]) => ({title: label, value: c => c[k] + ' (' + pct(c[k] / c.inferences) + ')', num: true}))),
      data.coverage, 'Counts per model');
  }

  const hist = section('history', 'Epoch over epoch',
    'Every epoch with accepted inferences or computed rewards. Quarantine rate: quarantined inference rows (by the ts in their raw JSON) over all inference rows of the epoch.', true);
  const epochs = data.history.map(h => String(h.epoch));
  chart(hist, 'history-money', {
    tooltip: {trigger: 'axis', confine: true},
    legend: {top: 0}, grid: {left: 60, right: 20, top: 40, bottom: 30},
    xAxis: {type: 'category', data: epochs, name: 'epoch'},
    yAxis: {type: 'value', name: 'tokens'},
    series: [
      {name: 'fees', type: 'line', data: data.history.map(h => h.fees_wei == null ? null : tokens(h.fees_wei))},
      {name: 'rewards', type: 'bar', data: data.history.map(h => h.rewards_wei == null ? null : tokens(h.rewards_wei))},
      {name: 'unattributed', type: 'bar', data: data.history.map(h => h.unattributed_wei == null ? null : tokens(h.unattributed_wei))},
    ],
  });
  chart(hist, 'history-counts', {
    tooltip: {trigger: 'axis', confine: true},
    legend: {top: 0}, grid: {left: 60, right: 60, top: 40, bottom: 30},
    xAxis: {type: 'category', data: epochs, name: 'epoch'},
    yAxis: [{type: 'value', name: 'count'}, {type: 'value', name: 'quarantine %', position: 'right'}],
    series: [
      {name: 'accounts paid', type: 'bar', data: data.history.map(h => h.accounts_paid)},
      {name: 'new contributions', type: 'bar', data: data.history.map(h => h.new_contributions)},
      {name: 'quarantine rate', type: 'line', yAxisIndex: 1, data: data.history.map(h => {
        const all = h.accepted + h.license_violations + h.quarantined;
        return all > 0 ? +(100 * h.quarantined / all).toFixed(2) : 0;
      })},
    ],
  });
  table(hist, [
    {title: 'epoch', value: h => h.epoch, num: true}, {title: 'accepted', value: h => h.accepted, num: true},
    {title: 'license violations', value: h => h.license_violations, num: true}, {title: 'quarantined', value: h => h.quarantined, num: true},
    {title: 'fees (wei)', value: h => h.fees_wei == null ? 'not computed' : h.fees_wei, num: true},
    {title: 'rewards (wei)', value: h => h.rewards_wei == null ? 'not computed' : h.rewards_wei, num: true},
    {title: 'accounts paid', value: h => h.accounts_paid, num: true}, {title: 'new contributions', value: h => h.new_contributions, num: true},
  ], data.history, 'Per epoch');

  const ing = section('ingestion', 'Ingestion health',
    'What the tables hold of every ingest so far, per input kind: rows accepted, duplicate contributions recorded, and rows quarantined (re-read rows that were already ingested are not recorded).', true);
  chart(ing, 'ingestion', {
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, confine: true},
    legend: {top: 0}, grid: {left: 60, right: 20, top: 40, bottom: 30},
    xAxis: {type: 'category', data: data.ingestion.kinds.map(k => k.kind)},
    yAxis: {type: 'log', name: 'rows', min: 1},
    series: ['accepted', 'duplicates', 'quarantined'].map(s => ({name: s, type: 'bar',
      data: data.ingestion.kinds.map(k => k[s] > 0 ? k[s] : null)})),
  });
  table(ing, [{title: 'kind', value: k => k.kind}, {title: 'read (recorded)', value: k => k.accepted + k.duplicates + k.quarantined, num: true},
    {title: 'accepted', value: k => k.accepted, num: true}, {title: 'duplicates', value: k => k.duplicates, num: true},
    {title: 'quarantined', value: k => k.quarantined, num: true}], data.ingestion.kinds);
  table(ing, [{title: 'table', value: r => r.table}, {title: 'reason', value: r => r.reason}, {title: 'rows', value: r => r.rows, num: true}],
    data.ingestion.reasons, 'Quarantine reasons (' + data.ingestion.reasons.length + ')');
  table(ing, [{title: 'model', value: r => r.model_id}, {title: 'violation', value: r => r.violation}, {title: 'rows', value: r => r.rows, num: true}],
    data.ingestion.violations, 'License violations of epoch ' + data.epoch + ' (' + data.ingestion.violations.reduce((a, v) => a + v.rows, 0) + ')');

  const rev = section('review', 'Review queue',
    'For validators, as it is now, not per epoch (poa review; docs/review.md): pending or approved contributions that self-influence '
    + 'flags (a label that may be wrong) or copied spans flag (much of the text found in an earlier contribution of another contributor), '
    + 'ranked within their datanet; the top of each.', true);
  if (data.review.counts.length) {
    table(rev, [{title: 'datanet', value: c => c.datanet_id}, {title: 'signal', value: c => c.signal},
      {title: 'flagged', value: c => c.flagged, num: true}, {title: 'scored', value: c => c.scored, num: true}], data.review.counts);
    table(rev, [{title: 'datanet', value: r => r.datanet_id}, {title: 'signal', value: r => r.signal}, {title: 'rank', value: r => r.rank, num: true},
      {title: 'contribution', value: r => r.contribution_id, mono: true}, {title: 'contributor', value: r => r.contributor, mono: true},
      {title: 'status', value: r => r.status},
      {title: 'score', value: r => r.signal === 'copied_spans' ? (100 * r.score).toFixed(1) + '% copied' : r.score.toPrecision(4), num: true},
      {title: 'evidence', value: r => r.signal === 'copied_spans' ? 'earliest source ' + r.source_contribution_id : 'model ' + r.model_id},
      {title: "contributor's flagged", value: r => r.contributor_flagged + ' of ' + r.contributor_scored, num: true}],
      data.review.top, 'Top ' + data.review.top.length + ' flagged');
  } else {
    rev.append(el('p', {id: 'no-review'}, 'Nothing flagged, or poa review has not run.'));
  }

  const settle = section('settlement', 'Settlement and audit', null, true);
  const st = data.settlement;
  if (st.root) {
    table(settle, [{title: 'field', value: r => r[0]}, {title: 'value', value: r => r[1], mono: true}], [
      ['root', st.root.root], ['leaves', st.root.leaf_count], ['total cumulative (wei)', st.root.total_cumulative_wei],
      ['input versions', Object.entries(st.root.input_versions).map(([k, v]) => k + '@' + v).join(' ')],
    ]);
  } else {
    settle.append(el('p', {id: 'no-root'}, 'No Merkle root for epoch ' + data.epoch + ' yet (poa merkle --epoch ' + data.epoch + ').'));
  }
  if (st.transactions.length) {
    table(settle, [{title: 'chain', value: t => t.chain_id}, {title: 'distributor', value: t => t.contract, mono: true},
      {title: 'transaction', value: t => t.tx_hash, mono: true}, {title: 'block', value: t => t.block_number, num: true},
      {title: 'gas', value: t => t.gas_used, num: true}, {title: 'status', value: t => t.status}], st.transactions);
  } else {
    settle.append(el('p', {}, 'Not settled on any chain yet.'));
  }
  if (st.audit) {
    table(settle, [{title: 'audit check', value: c => c.name},
      {title: 'verdict', value: c => el('span', {className: c.passed ? 'pass' : 'fail'}, c.passed ? 'PASS' : 'FAIL')},
      {title: 'detail', value: c => c.detail}], st.audit);
  } else {
    settle.append(el('p', {id: 'no-audit'}, 'No audit ran for this report (poa report --audit, or poa audit --epoch ' + data.epoch + ').'));
  }
  if (st.root && st.proofs.length) {
    settle.append(el('h2', {}, 'Verify a proof'));
    settle.append(el('p', {className: 'note'}, 'The command checks offline that the proof leads from (account, amount) to the root. '
      + 'Accounts below are the ' + st.proofs.length + ' largest balances; for any other: bin/poa proof --epoch ' + data.epoch
      + ' --account ADDRESS > claim.json && bin/poa verify-proof --file claim.json'));
    const select = el('select', {id: 'proof-account'}, st.proofs.map((p, i) => el('option', {value: String(i)}, p.account + ' (' + fmtTokens(p.cumulative_wei) + ')')));
    settle.append(select);
    const command = p => 'bin/poa verify-proof --root ' + st.root.root + ' --account ' + p.account + ' --amount ' + p.cumulative_wei
      + (p.proof.length ? ' --proof ' + p.proof.join(',') : '');
    const pre = copyable(settle, 'verify-command', command(st.proofs[0]));
    select.addEventListener('change', () => { pre.textContent = command(st.proofs[Number(select.value)]); });
  }
  done();
})();
