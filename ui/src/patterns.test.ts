// Browsers compile an <input pattern> with the `v` flag, under which a
// hyphen must be escaped inside a class: `[a-z0-9-]` is refused (Firefox
// logs an error on every key and checks nothing). Every pattern written
// in the app's source must compile as the browser compiles it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx$/.test(e.name) ? [path] : [];
  });
}

const patterns = sources(join(import.meta.dirname)).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/\bpattern="([^"]*)"/g)].map((m) => ({ file, pattern: m[1] })),
);

describe('input patterns', () => {
  it('are found', () => {
    expect(patterns.length).toBeGreaterThan(0);
  });
  for (const { file, pattern } of patterns) {
    it(`${file.slice(import.meta.dirname.length + 1)}: ${pattern}`, () => {
      // The HTML standard: ^(?:pattern)$ with the v flag.
      expect(() => new RegExp(`^(?:${pattern})$`, 'v')).not.toThrow();
    });
  }
});
