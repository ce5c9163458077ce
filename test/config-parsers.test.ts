// Parsers for files camfw reads from elsewhere: apt sources, Kconfig fragments.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAptSources } from '../scripts/lib/debian.ts';
import { applyFragment, unappliedOptions } from '../recipes/busybox/recipe.ts';

describe('apt sources', () => {
  test('deb822 stanzas, with only deb types kept', () => {
    const text = [
      'Types: deb deb-src',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main contrib',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb-src',
      'URIs: http://elsewhere.example/debian',
      'Suites: bookworm',
      'Components: main',
    ].join('\n');
    const s = parseAptSources(text, true);
    assert.deepEqual(s.map((x) => `${x.uri} ${x.suite}`), ['http://mirror.example/debian bookworm', 'http://mirror.example/debian bookworm-updates']);
    assert.equal(s[0].signedBy, '/usr/share/keyrings/debian-archive-keyring.gpg');
  });

  test('one-line entries with options and comments', () => {
    const s = parseAptSources('# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main\ndeb-src http://m.example/debian bookworm main\n', false);
    assert.equal(s.length, 1);
    assert.deepEqual(s[0], { uri: 'http://m.example/debian', suite: 'bookworm', components: ['main'], signedBy: '/k.gpg' });
  });
});

describe('busybox Kconfig fragment', () => {
  const fragment = new Map([
    ['CONFIG_A', 'y'],
    ['CONFIG_B', '"x"'],
    ['CONFIG_NEW', 'y'],
  ]);
  test('sets options over allnoconfig output', () => {
    const out = applyFragment('# CONFIG_A is not set\nCONFIG_B="y"\nCONFIG_C=y', fragment);
    assert.equal(out, 'CONFIG_A=y\nCONFIG_B="x"\nCONFIG_C=y\nCONFIG_NEW=y');
  });
  test('reports the options Kconfig did not keep', () => {
    assert.deepEqual(unappliedOptions('CONFIG_A=y\n# CONFIG_NEW is not set\nCONFIG_B="x"', fragment), ['CONFIG_NEW=y (got unset)']);
  });
});
