// Lint rules that hold the house style: side effects (process, clock, console, kubeconfig) only in the
// adapters that cmd/ wires into Deps; everything else receives them through Deps.
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const sideEffects = [
  {
    selector:
      "MemberExpression[object.name='process'][property.name=/^(env|exit|argv|stdout|stderr|stdin|cwd|pid|kill|on)$/]",
    message: 'use Deps instead of process.*',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'use deps.clock.nowMs()',
  },
  { selector: "MemberExpression[object.name='console']", message: 'use deps.out / deps.err' },
  {
    selector: "NewExpression[callee.name='KubeConfig']",
    message: 'build the KubeConfig in src/adapters/kubeconfig-loader.ts only',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.cluster/**', 'examples/**', 'krew/**'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/deps.ts', 'src/adapters/**'],
    rules: { 'no-restricted-syntax': ['error', ...sideEffects] },
  },
);
