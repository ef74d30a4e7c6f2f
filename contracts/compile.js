// Compiles src/*.sol with the solc pinned in package.json (solc-js, no native compiler needed) and
// writes build/<Contract>.abi (JSON) and build/<Contract>.bin (creation bytecode, hex). The outputs
// are committed; a test compiles again into a temporary folder and compares.
//
//   node compile.js [outDir]
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const here = __dirname;
const outDir = path.resolve(process.argv[2] || path.join(here, 'build'));
const sources = {};
for (const file of fs.readdirSync(path.join(here, 'src')).filter(f => f.endsWith('.sol')).sort()) {
  sources['src/' + file] = { content: fs.readFileSync(path.join(here, 'src', file), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
function findImports(importPath) {
  const file = path.join(here, 'node_modules', importPath);
  return fs.existsSync(file) ? { contents: fs.readFileSync(file, 'utf8') } : { error: 'not found: ' + importPath };
}
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter(e => e.severity === 'error');
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);
fs.mkdirSync(outDir, { recursive: true });
for (const source of Object.keys(sources)) {
  for (const [name, contract] of Object.entries(output.contracts[source])) {
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(contract.abi, null, 2) + '\n');
    fs.writeFileSync(path.join(outDir, name + '.bin'), contract.evm.bytecode.object + '\n');
    console.log(name + ' ' + contract.evm.bytecode.object.length / 2 + ' bytes');
  }
}
console.log('solc ' + solc.version());
