import type { EmulatorStats } from './admin-models.ts';
import type { RouteTemplate } from './routes.ts';

/** Upstream calls per route template since the last reset; admin calls are not counted. */
export class Stats {
  private counts = new Map<RouteTemplate, number>();
  private total = 0;

  count(template: RouteTemplate): void {
    this.counts.set(template, (this.counts.get(template) ?? 0) + 1);
    this.total += 1;
  }

  reset(): void {
    this.counts = new Map();
    this.total = 0;
  }

  snapshot(): EmulatorStats {
    return { total: this.total, routes: Object.fromEntries(this.counts) };
  }
}
