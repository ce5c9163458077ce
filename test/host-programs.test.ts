// Every program camfw runs on the build machine comes from a Debian package in the one
// host package list (scripts/lib/host-deps.ts), so a fresh machine gets it installed. The
// programs are read from the code itself: the argv of every call that starts a program.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { HOST_PACKAGES } from '../scripts/lib/host-deps.ts';
import { paths } from '../scripts/lib/paths.ts';
import { run } from '../scripts/lib/run.ts';

/** Functions that take an argv array (program first) as their first argument. */
const ARGV_CALLS = new Set(['run', 'startBackground']);
/** Functions that take the program itself as their first argument. */
const PROGRAM_CALLS = new Set(['spawn', 'spawnSync']);

/**
 * Calls whose program is not written out where they are: what each can be. `[]` is a
 * program that is not the host's (an ARM program, a compiler wrapper in output/toolchain,
 * a package's own configure script) or one checked where its argv is written (run.ts
 * starts what its callers give; builder.ts runs a recipe's ctx.run argv).
 */
const DYNAMIC: Record<string, string[]> = {
  'scripts/lib/run.ts argv[0]': [],
  'scripts/lib/builder.ts argv': [],
  'scripts/lib/debian.ts tool': ['apt-get', 'apt-cache'],
  'scripts/lib/builder.ts `${tc.crossPrefix}strip`': [],
  'scripts/toolchain.ts `${tc.crossPrefix}gcc`': [],
  'toolchain/musl-armv5te.ts `${wrappers.crossPrefix}gcc`': [],
  'toolchain/vendor.ts `${wrappers.crossPrefix}gcc`': [],
  'scripts/lib/builders.ts path.join(ctx.srcDir, \'configure\')': ['sh'],
  'recipes/e2fsprogs/recipe.ts path.join(ctx.srcDir, \'configure\')': ['sh'],
  'recipes/dropbear/recipe.ts path.join(ctx.srcDir, \'configure\')': ['sh'],
  'scripts/bench.ts path.join(paths.root, \'node_modules/.bin/tsx\')': ['node'],
  'scripts/test.ts process.execPath': ['node'],
  'test/helpers.ts "$@"': ['faketime', 'node'],
  'test/outputs.test.ts path.join(paths.root, \'node_modules/.bin/tsx\')': ['node'],
  'test/vendor-toolchain.test.ts path.join(paths.root, \'node_modules/.bin/tsx\')': ['node'],
  'test/vendor-toolchain.test.ts `${tc.crossPrefix}gcc`': [],
  'test/qemu/guest/guest.ts `${tc.crossPrefix}gcc`': [],
  'scripts/lib/builders.ts ctx.env.CC': [],
  'recipes/wireless-tools/recipe.ts ctx.env.CC': [],
  'recipes/webui/recipe.ts path.join(ESBUILD, \'bin/esbuild\')': [],
  'test/cgi.ts (c.inside ?? [])': ['nsenter', 'qemu-arm'],
};

/** Programs that are not Debian's: Node and npm are there before camfw (README), tsx comes with npm ci. */
const NOT_DEBIAN = new Set(['node', 'npm', 'tsx']);

/** Words of a `sh -c` script that are not programs. */
const SH_BUILTINS = new Set(['umask', 'shift', 'cd', 'set', 'exec', 'echo', 'test', '[', 'export', 'exit', 'true', 'false', ':']);

function sourceFiles(): string[] {
  return ['scripts', 'toolchain', 'test', 'recipes', 'overlays'].flatMap((d) =>
    (fs.readdirSync(path.join(paths.root, d), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(d, f)),
  );
}

function literal(e: ts.Expression | undefined): string | undefined {
  return e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : undefined;
}

/** The commands a `sh -c` script runs: the first word of each simple command. */
function shellCommands(script: string): string[] {
  const words: string[] = [];
  for (const part of script.split(/;|&&|\|\||\||\n/)) {
    const tokens = part.trim().split(/\s+/).filter(Boolean);
    while (tokens[0] === 'exec' || /^\w+=/.test(tokens[0] ?? '')) tokens.shift();
    if (tokens[0] && !SH_BUILTINS.has(tokens[0])) words.push(tokens[0]);
  }
  return words;
}

interface Use {
  program: string;
  where: string;
}

/** Every program the code starts, with the file it is started from. */
function programsRun(): { uses: Use[]; unknown: string[]; unused: string[] } {
  const uses: Use[] = [];
  const unknown: string[] = [];
  const used = new Set<string>();
  const program = ts.createProgram(sourceFiles().map((f) => path.join(paths.root, f)), { allowImportingTsExtensions: true, noEmit: true, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  /** An identifier's array literal, when it is a const initialised with one. */
  const arrayOf = (e: ts.Expression): ts.ArrayLiteralExpression | undefined => {
    if (ts.isArrayLiteralExpression(e)) return e;
    const decl = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e)?.valueDeclaration : undefined;
    return decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isArrayLiteralExpression(decl.initializer) ? decl.initializer : undefined;
  };
  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.startsWith(paths.root) || sf.fileName.includes('node_modules')) continue;
    const rel = path.relative(paths.root, sf.fileName);
    const dynamic = (expr: string) => {
      const known = DYNAMIC[`${rel} ${expr}`];
      if (known) for (const p of known) uses.push({ program: p, where: rel });
      else unknown.push(`${rel}: ${expr}`);
      used.add(`${rel} ${expr}`);
    };
    /** The program of an expression in program position: a literal, an element of a known array, or a dynamic call. */
    const first = (e: ts.Expression | undefined) => {
      if (!e) return;
      const text = literal(e);
      if (text !== undefined) return uses.push({ program: text, where: rel });
      if (ts.isSpreadElement(e)) return argv(e.expression);
      if (ts.isElementAccessExpression(e) && literal(e.argumentExpression) === undefined && e.argumentExpression.getText(sf) === '0') {
        const arr = arrayOf(e.expression);
        if (arr) return argv(arr);
      }
      dynamic(e.getText(sf));
    };
    const argv = (e: ts.Expression | undefined) => {
      if (!e) return;
      const arr = arrayOf(e);
      if (!arr) return dynamic(e.getText(sf));
      const [head, flag, script] = arr.elements as ts.NodeArray<ts.Expression>;
      if (literal(head) === 'sh' && literal(flag) === '-c') {
        uses.push({ program: 'sh', where: rel });
        for (const word of shellCommands(literal(script) ?? '')) {
          if (word.startsWith('"$') || word.startsWith('$')) dynamic(word);
          else uses.push({ program: word, where: rel });
        }
        return;
      }
      first(head);
    };
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression;
        if (ts.isIdentifier(callee) && ARGV_CALLS.has(callee.text)) argv(n.arguments[0]);
        if (ts.isIdentifier(callee) && PROGRAM_CALLS.has(callee.text)) first(n.arguments[0]);
        // the recipe build context: ctx.run(step, argv)
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'run' && n.arguments.length >= 2) argv(n.arguments[1]);
      }
      // zx runs every command through bash
      if (ts.isTaggedTemplateExpression(n) && ts.isCallExpression(n.tag) && ts.isIdentifier(n.tag.expression) && n.tag.expression.text === '$')
        uses.push({ program: 'bash', where: rel });
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { uses, unknown, unused: Object.keys(DYNAMIC).filter((k) => !used.has(k)) };
}

/** The Debian package that installs `program` (an absolute path, or found on PATH), or why none does. */
async function debianPackageOf(program: string): Promise<{ pkg?: string; problem?: string }> {
  const dirs = (process.env.PATH ?? '').split(':').filter((d) => d && !d.includes('node_modules'));
  const found = path.isAbsolute(program) ? (fs.existsSync(program) ? program : undefined) : dirs.map((d) => path.join(d, program)).find((f) => fs.existsSync(f));
  if (!found) return { problem: 'is not installed on this machine' };
  const candidates = new Set<string>();
  for (const f of [found, fs.realpathSync(found)]) {
    candidates.add(f);
    // usrmerge: dpkg knows /bin/tar, PATH finds /usr/bin/tar
    candidates.add(f.replace(/^\/usr\/(s?bin)\//, '/$1/'));
    candidates.add(f.replace(/^\/(s?bin)\//, '/usr/$1/'));
  }
  for (const c of candidates) {
    const r = await run(['dpkg', '-S', c], { allowFail: true });
    const m = /^([\w.+-]+)(?::\w+)?: /m.exec(r.stdout);
    if (r.code === 0 && m) return { pkg: m[1] };
  }
  return { problem: `(${found}) belongs to no Debian package` };
}

describe('host programs', () => {
  test('every program the code runs is found in it, or explained in the table of dynamic calls', () => {
    const { uses, unknown, unused } = programsRun();
    assert.deepEqual(unknown, [], 'calls whose program the test cannot read: add them to DYNAMIC with what they run');
    assert.deepEqual(unused, [], 'DYNAMIC entries no call matches any more: remove them');
    const programs = new Set(uses.map((u) => u.program));
    for (const p of ['apt-get', 'dpkg-deb', 'tar', 'mkfs.jffs2', 'mkimage', 'qemu-system-arm', 'flock', 'cpio', 'patch']) assert.ok(programs.has(p), `${p} not found`);
  });

  test('every one comes from a Debian package in the host package list', async () => {
    const listed = new Set(HOST_PACKAGES.map((p) => p.name));
    const programs = new Map<string, string>();
    for (const u of programsRun().uses) if (!programs.has(u.program)) programs.set(u.program, u.where);
    const problems: string[] = [];
    for (const [program, where] of [...programs].sort()) {
      if (NOT_DEBIAN.has(program)) continue;
      const { pkg, problem } = await debianPackageOf(program);
      if (problem) problems.push(`${program} (run by ${where}) ${problem}: add its Debian package to HOST_PACKAGES`);
      else if (!listed.has(pkg!)) problems.push(`${program} (run by ${where}) comes from Debian package ${pkg}, which is not in HOST_PACKAGES`);
    }
    assert.deepEqual(problems, []);
  });
});
