'use strict';
// The contributor statement (poa report --account ADDRESS): docs/reports.md lists its sections.
(() => {
  const {data, el, section, chart, table, cards, tokens, fmtTokens, copyable, done} = POA;
  document.getElementById('subtitle').textContent = 'lakehouse ' + data.lakehouse;

  const latest = data.latest;
  const summary = section('summary', 'Account ' + data.account, null, true);
  const chainCard = data.chain.read ? fmtTokens(data.chain.claimed_wei) : 'not read';
  cards(summary, [
    ['earned, all epochs (tokens)', fmtTokens(data.earnings.reduce((a, e) => a + BigInt(e.amount_wei), 0n).toString())],
    ['cumulative in the latest root' + (latest.epoch != null ? ' (epoch ' + latest.epoch + ')' : ''), latest.cumulative_wei ? fmtTokens(latest.cumulative_wei) : null],
    ['already claimed (tokens)', chainCard],
  ]);

  const earn = section('earnings', 'Earnings per epoch, by role and model',
    'Stacked per epoch in tokens of 10^18 wei; the table has the exact wei.', true);
  const epochs = [...new Set(data.earnings.map(e => e.epoch))].sort((a, b) => a - b);
  const keys = [...new Set(data.earnings.map(e => e.role + ' · ' + e.model_id))].sort();
  chart(earn, 'earnings', {
    tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, confine: true},
    legend: {top: 0, type: 'scroll'}, grid: {left: 60, right: 20, top: 40, bottom: 30},
    xAxis: {type: 'category', data: epochs.map(String), name: 'epoch'},
    yAxis: {type: 'value', name: 'tokens'},
    series: keys.map(k => ({name: k, type: 'bar', stack: 'earn', data: epochs.map(n => {
      const row = data.earnings.find(e => e.epoch === n && e.role + ' · ' + e.model_id === k);
      return row ? tokens(row.amount_wei) : 0;
    })})),
  });
  table(earn, [{title: 'epoch', value: e => e.epoch, num: true}, {title: 'role', value: e => e.role},
    {title: 'model', value: e => e.model_id}, {title: 'amount (wei)', value: e => e.amount_wei, num: true}], data.earnings, 'Exact amounts');

  const bal = section('balance', 'Cumulative balance', 'The account\'s leaf in each epoch\'s Merkle tree: what it can have claimed in total by then.');
  chart(bal, 'balance', {
    tooltip: {trigger: 'axis', confine: true},
    grid: {left: 60, right: 20, top: 20, bottom: 30},
    xAxis: {type: 'category', data: data.balances.map(b => String(b.epoch)), name: 'epoch'},
    yAxis: {type: 'value', name: 'tokens'},
    series: [{name: 'cumulative', type: 'line', step: 'end', data: data.balances.map(b => tokens(b.cumulative_wei))}],
  });
  table(bal, [{title: 'epoch', value: b => b.epoch, num: true}, {title: 'cumulative (wei)', value: b => b.cumulative_wei, num: true}],
    data.balances, 'Per epoch');

  const claim = section('claim', 'Claim');
  if (latest.epoch == null) {
    claim.append(el('p', {}, 'No Merkle root has been built yet.'));
  } else if (!latest.cumulative_wei) {
    claim.append(el('p', {}, 'The account has no leaf in the latest root (epoch ' + latest.epoch + ').'));
  } else {
    table(claim, [{title: 'field', value: r => r[0]}, {title: 'value', value: r => r[1], mono: true}], [
      ['epoch', latest.epoch], ['root', latest.root], ['cumulative amount (wei)', latest.cumulative_wei],
      ['claimed on chain (wei)', data.chain.read ? data.chain.claimed_wei : 'not read: ' + data.chain.note],
      ['claimable now (wei)', data.chain.read ? data.chain.claimable_wei : 'not read'],
      ['distributor', data.chain.read ? data.chain.contract : '–'],
    ]);
    claim.append(el('p', {className: 'note'}, 'Proof (sibling hashes from the leaf up):'));
    copyable(claim, 'proof', latest.proof.length ? latest.proof.join('\n') : '(empty: a one-account tree)');
    claim.append(el('p', {className: 'note'}, 'Call data of claim(account, cumulativeAmount, proof), to send to the distributor from any funded account:'));
    copyable(claim, 'calldata', latest.claim_calldata);
  }

  const paid = section('top-inferences', 'Inferences that paid this account most',
    'Ranked by fee × the account\'s attribution weight; each with its matched spans, as poa explain shows them.', true);
  if (!data.topInferences.length) {
    paid.append(el('p', {}, 'No inference credited this account as a contributor (validator, developer and protocol rewards have no spans).'));
  }
  data.topInferences.forEach(t => {
    paid.append(el('h3', {}, t.inference_id + ' (epoch ' + t.epoch + ', ' + t.model_id + ', fee ' + t.fee_wei + ' wei, weight '
      + t.weight.toFixed(4) + ', ' + t.methods.join(' + ') + ')'));
    paid.append(el('pre', {className: 'explain'}, t.explanation));
  });
  done();
})();
