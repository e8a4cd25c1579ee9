// Parses an MFE env.config.jsx as rendered by tutor-mfe (Babel's parser, JSX enabled) and prints,
// as JSON, every frontend plugin slot it configures: the slot, the MFE it is limited to (by an
// enclosing `if (process.env.APP_ID == '…')`), the names declared before it in the enclosing
// blocks, the identifiers its plugins read, and the hrefs of the JSX links they render.
// A syntax error exits 1 with Babel's message and position.
import {readFileSync} from 'node:fs';

import {parse} from '@babel/parser';

const source = readFileSync(process.argv[2], 'utf8');
let program;
try {
  program = parse(source, {sourceType: 'module', plugins: ['jsx']});
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

function children(node) {
  return Object.entries(node)
      .filter(([key]) => !['loc', 'start', 'end', 'extra'].includes(key))
      .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
      .filter((value) => value && typeof value.type === 'string');
}

function* walk(node, ancestors = []) {
  yield [node, ancestors];
  for (const child of children(node)) {
    yield* walk(child, [...ancestors, node]);
  }
}

function patternNames(pattern) {
  if (pattern.type === 'Identifier') return [pattern.name];
  if (pattern.type === 'ObjectPattern') {
    return pattern.properties.flatMap((property) => patternNames(property.value ?? property));
  }
  if (pattern.type === 'ArrayPattern') return pattern.elements.filter(Boolean).flatMap(patternNames);
  if (pattern.type === 'RestElement') return patternNames(pattern.argument);
  return [];
}

function declaredBefore(position, ancestors) {
  const names = new Set();
  for (const block of ancestors.filter((node) => ['Program', 'BlockStatement'].includes(node.type))) {
    for (const statement of block.body) {
      if (statement.start >= position) break;
      if (statement.type === 'VariableDeclaration') {
        statement.declarations.forEach((declarator) => patternNames(declarator.id).forEach((name) => names.add(name)));
      } else if (statement.type === 'FunctionDeclaration') {
        names.add(statement.id.name);
      }
    }
  }
  return [...names].sort();
}

function appOf(ancestors) {
  const limit = ancestors.findLast((node) => node.type === 'IfStatement' &&
      node.test.type === 'BinaryExpression' && node.test.right.type === 'StringLiteral' &&
      source.slice(node.test.left.start, node.test.left.end) === 'process.env.APP_ID');
  return limit ? limit.test.right.value : null;
}

const slots = [];
for (const [node, ancestors] of walk(program.program)) {
  if (node.type !== 'CallExpression' || node.callee.name !== 'addPlugins') continue;
  const [, slot, plugins] = node.arguments;
  const reads = new Set();
  const links = [];
  for (const [inner, path] of walk(plugins)) {
    const parent = path.at(-1);
    const isKey = parent && ((parent.type === 'ObjectProperty' && parent.key === inner && !parent.computed) ||
        (parent.type === 'MemberExpression' && parent.property === inner && !parent.computed));
    if (inner.type === 'Identifier' && !isKey) reads.add(inner.name);
    if (inner.type === 'JSXOpeningElement' && inner.name.name === 'a') {
      const href = inner.attributes.find((attribute) => attribute.name?.name === 'href');
      links.push(href ? source.slice(href.value.start, href.value.end) : null);
    }
  }
  slots.push({
    slot: slot.value,
    app: appOf(ancestors),
    declared: declaredBefore(node.start, ancestors),
    reads: [...reads].sort(),
    links,
    source: source.slice(plugins.start, plugins.end),
  });
}
process.stdout.write(JSON.stringify({slots}, null, 2));
