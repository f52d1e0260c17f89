/**
 * .github/workflows/pages.yml: valid YAML (parsed by PyYAML when the machine has it, else a structural check of
 * the text) that builds dist/ with npm ci + npm run build and publishes it with GitHub's Pages actions.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const FILE = '.github/workflows/pages.yml';
const text = readFileSync(FILE, 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  id?: string;
}

/** The workflow as JSON, through PyYAML; null where python3 or its yaml module is missing. */
function parsedWithPython(): Record<string, any> | null {
  const r = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', FILE], { encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout) : null;
}

describe('the GitHub Pages workflow', () => {
  it('is plain YAML: spaces only, no tabs, every line a comment or a key (in a list item or not), indented by two', () => {
    expect(text).not.toMatch(/\t/);
    for (const line of text.split('\n')) {
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      expect(line, line).toMatch(/^( {2})*(- )?[\w.-]+:( .*)?$/);
    }
  });

  it('builds dist/ and deploys it with configure-pages, upload-pages-artifact and deploy-pages', () => {
    const doc = parsedWithPython();
    if (doc === null) {
      for (const needle of ['npm ci', 'npm run build', 'actions/configure-pages@', 'actions/upload-pages-artifact@', 'path: dist', 'actions/deploy-pages@', 'pages: write', 'id-token: write']) expect(text).toContain(needle);
      return;
    }
    // PyYAML reads the key `on` as true (YAML 1.1); GitHub reads it as `on`
    const on = doc.on ?? doc.true;
    expect(on.push.branches).toEqual(['main']);
    expect(on).toHaveProperty('workflow_dispatch');
    expect(doc.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
    const build: Step[] = doc.jobs.build.steps;
    const runs = build.filter((s) => s.run).map((s) => s.run);
    expect(runs).toEqual(['npm ci', 'npm run build']);
    const uses = build.map((s) => s.uses?.split('@')[0]).filter(Boolean);
    expect(uses).toEqual(['actions/checkout', 'actions/setup-node', 'actions/configure-pages', 'actions/upload-pages-artifact']);
    expect(build.find((s) => s.uses?.startsWith('actions/upload-pages-artifact'))!.with).toEqual({ path: 'dist' });
    expect(doc.jobs.deploy.needs).toBe('build');
    expect(doc.jobs.deploy.environment.name).toBe('github-pages');
    const deploy: Step[] = doc.jobs.deploy.steps;
    expect(deploy.map((s) => s.uses?.split('@')[0])).toEqual(['actions/deploy-pages']);
    expect(doc.jobs.deploy.environment.url).toBe(`\${{ steps.${deploy[0].id}.outputs.page_url }}`);
    // the engines field asks for Node ≥ 20.19: setup-node's "20" is the newest 20.x
    expect(String(build.find((s) => s.uses?.startsWith('actions/setup-node'))!.with!['node-version'])).toBe('20');
  });
});
