// ESLint rule `local/no-bare-status-code`: AnyLog status codes are named (STATUS / CONTROL of
// src/contract/status-codes.ts), never written as numbers. The StatusCode brand already makes the compiler reject
// a bare number where a code is expected; this rule covers what the compiler allows: a number literal compared
// with a code (`result.code === 0`), used as a `case` of a switch over a code, cast to StatusCode, or passed to
// asStatusCode(). It needs typed linting (parserOptions.projectService).

const EQUALITY = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=']);

function isNumberLiteral(node) {
  if (node.type === 'UnaryExpression' && node.operator === '-') return isNumberLiteral(node.argument);
  return node.type === 'Literal' && typeof node.value === 'number';
}

/** The brand property of StatusCode is the unique symbol `statusBrand`; TypeScript names it `__@statusBrand@<id>`. */
function isStatusCodeType(type) {
  if (type.isUnion()) return type.types.some(isStatusCodeType);
  return type.getProperties().some((p) => String(p.escapedName).startsWith('__@statusBrand@'));
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid numeric literals where an AnyLog status code is meant' },
    schema: [],
    messages: {
      bare: 'status code {{value}} written as a number: use its name from STATUS or CONTROL (src/contract/status-codes.ts)',
    },
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (services?.program === undefined || services.program === null) return {};
    const checker = services.program.getTypeChecker();
    const isCode = (node) =>
      isStatusCodeType(checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node)));
    const report = (node) =>
      context.report({ node, messageId: 'bare', data: { value: context.sourceCode.getText(node) } });
    return {
      BinaryExpression(node) {
        if (!EQUALITY.has(node.operator)) return;
        if (isNumberLiteral(node.right) && isCode(node.left)) report(node.right);
        else if (isNumberLiteral(node.left) && isCode(node.right)) report(node.left);
      },
      SwitchCase(node) {
        const discriminant = node.parent.discriminant;
        if (node.test !== null && isNumberLiteral(node.test) && isCode(discriminant)) report(node.test);
      },
      TSAsExpression(node) {
        if (isNumberLiteral(node.expression) && isCode(node)) report(node.expression);
      },
      CallExpression(node) {
        if (node.callee.type !== 'Identifier' || node.callee.name !== 'asStatusCode') return;
        for (const arg of node.arguments) if (isNumberLiteral(arg)) report(arg);
      },
    };
  },
};

export default { rules: { 'no-bare-status-code': rule } };
