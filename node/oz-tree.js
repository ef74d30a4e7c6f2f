// The reference the project's Merkle code is checked and benchmarked against: OpenZeppelin's
// StandardMerkleTree over ["address","uint256"], fed the same payout file as `poa merkle build`.
//
//   node oz-tree.js build <payouts.csv|payouts.jsonl> <tree.json> [proofs.jsonl]
//   node oz-tree.js load <tree.json>            prints the root after StandardMerkleTree.load
//   node oz-tree.js verify <root> <account> <amount> <proof1,proof2,...>   prints true or false
'use strict';
const fs = require('fs');
const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');

const ENCODING = ['address', 'uint256'];

function readPayouts(path) {
  const lines = fs.readFileSync(path, 'utf8').split('\n').filter(l => l.trim() !== '');
  if (path.endsWith('.jsonl')) {
    return lines.map(l => { const o = JSON.parse(l); return [o.account, String(o.amount)]; });
  }
  const header = lines[0].split(',').map(s => s.trim());
  const a = header.indexOf('account');
  const b = header.indexOf('amount');
  return lines.slice(1).map(l => { const f = l.split(','); return [f[a].trim(), f[b].trim()]; });
}

const [command, ...args] = process.argv.slice(2);
if (command === 'build') {
  const [input, out, proofsOut] = args;
  const tree = StandardMerkleTree.of(readPayouts(input), ENCODING);
  fs.writeFileSync(out, JSON.stringify(tree.dump()));
  if (proofsOut) {
    const fd = fs.openSync(proofsOut, 'w');
    let chunk = [];
    for (const [i, v] of tree.entries()) {
      chunk.push(JSON.stringify({ account: v[0], amount: v[1], proof: tree.getProof(i) }));
      if (chunk.length === 10000) { fs.writeSync(fd, chunk.join('\n') + '\n'); chunk = []; }
    }
    if (chunk.length > 0) fs.writeSync(fd, chunk.join('\n') + '\n');
    fs.closeSync(fd);
  }
  console.log(tree.root);
} else if (command === 'load') {
  console.log(StandardMerkleTree.load(JSON.parse(fs.readFileSync(args[0], 'utf8'))).root);
} else if (command === 'verify') {
  const [root, account, amount, proof] = args;
  console.log(StandardMerkleTree.verify(root, ENCODING, [account, amount], proof === '' ? [] : proof.split(',')));
} else {
  console.error('usage: node oz-tree.js build|load|verify ...');
  process.exit(2);
}
