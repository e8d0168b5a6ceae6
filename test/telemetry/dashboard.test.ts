import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { it } from '../support/harness.ts';

/** The Grafana dashboard in `docs/` draws only metrics the gateway exports. */

const dashboardModel = z.object({
  panels: z.array(z.object({ title: z.string(), targets: z.array(z.object({ expr: z.string() })).optional() })),
});

/** prom-client keeps each metric's label names on it. */
const labelNamesModel = z.object({ labelNames: z.array(z.string()) });

describe('the Grafana dashboard', () => {
  it('queries metrics that a gateway registers, and labels that they carry', async ({ openGateway }) => {
    const dashboard = dashboardModel.parse(JSON.parse(readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')));
    const gateway = await openGateway();
    const metrics = gateway.runtime.telemetry.metrics;
    if (metrics === null) throw new Error('metrics are on by default outside production');
    const labelsOf = (name: string) => {
      const metric = metrics.registry.getSingleMetric(name);
      return metric === undefined ? null : labelNamesModel.parse(metric).labelNames;
    };

    const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
    expect(expressions.length).toBeGreaterThan(20);
    for (const { panel, expr } of expressions) {
      const names = [...expr.matchAll(/\b((?:rgw|graphql|nodejs|process)_\w+)/g)].map(([, name = '']) => name.replace(/_(bucket|count|sum)$/, ''));
      expect(names.length, panel).toBeGreaterThan(0);
      for (const name of names) expect(labelsOf(name), `${panel}: ${name}`).not.toBeNull();
      const grouped = /by \(([^)]*)\)/.exec(expr)?.[1]?.split(',').map((label) => label.trim()) ?? [];
      // `le` is every histogram's, `instance` the scraper's.
      const labelNames = ['le', 'instance', ...names.flatMap((name) => labelsOf(name) ?? [])];
      for (const label of grouped) expect(labelNames, `${panel}: by ${label}`).toContain(label);
    }
  });
});
