import type { Template } from 'aws-cdk-lib/assertions';
import { resourcesOf, type TemplateResource } from './stack-fixture';

/** A widget of the operations dashboard, with the properties that the tests read. */
export interface DashboardWidget {
  type: string;
  properties: {
    title?: string;
    markdown?: string;
    alarms?: unknown[];
    metrics?: unknown[][];
  };
}

/**
 * Returns the widgets of the stack's first dashboard, the operations dashboard. The body is a Fn::Join of
 * strings and references, and every reference sits inside a JSON string, so a placeholder in its place
 * leaves valid JSON.
 */
export function dashboardWidgets(template: Template): DashboardWidget[] {
  const [, dashboard] = resourcesOf(template, 'AWS::CloudWatch::Dashboard')[0]!;

  return widgetsOf(dashboard);
}

/** Returns the widgets of the dashboard named `dashboardName`, and throws when there is none. */
export function dashboardWidgetsNamed(template: Template, dashboardName: string): DashboardWidget[] {
  const dashboard = resourcesOf(template, 'AWS::CloudWatch::Dashboard').find(
    ([, resource]) => resource.Properties?.DashboardName === dashboardName,
  );
  if (dashboard === undefined) {
    throw new Error(`No dashboard named "${dashboardName}".`);
  }

  return widgetsOf(dashboard[1]);
}

/** Returns the widgets of every dashboard of the stack. */
export function allDashboardWidgets(template: Template): DashboardWidget[] {
  return resourcesOf(template, 'AWS::CloudWatch::Dashboard').flatMap(([, dashboard]) => widgetsOf(dashboard));
}

function widgetsOf(dashboard: TemplateResource): DashboardWidget[] {
  const body = dashboard.Properties?.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'REFERENCE')).join('');

  return (JSON.parse(text) as { widgets: DashboardWidget[] }).widgets;
}

/** Returns the widget with a title, and throws when there is none. */
export function widgetTitled(widgets: DashboardWidget[], title: string): DashboardWidget {
  const widget = widgets.find((candidate) => candidate.properties.title === title);
  if (widget === undefined) {
    throw new Error(`No dashboard widget titled "${title}".`);
  }

  return widget;
}

/** Returns the metric name and options of each metric line of a graph, or the expression of a SEARCH line. */
export function metricLines(
  widget: DashboardWidget,
): { name?: string; stat?: string; expression?: string }[] {
  return (widget.properties.metrics ?? []).map((line) => {
    const options = line[line.length - 1] as { stat?: string; expression?: string };
    return { name: typeof line[1] === 'string' ? line[1] : undefined, ...options };
  });
}

/** Returns the titles of the graphs in the dashboard section under `## heading`. */
export function sectionTitles(widgets: DashboardWidget[], heading: string): string[] {
  const start = widgets.findIndex((widget) => widget.properties.markdown === `## ${heading}`);
  const end = widgets.findIndex(
    (widget, index) => index > start && widget.properties.markdown?.startsWith('## '),
  );
  if (start < 0) {
    throw new Error(`No dashboard section "${heading}".`);
  }

  return widgets.slice(start + 1, end < 0 ? undefined : end).map((widget) => widget.properties.title ?? '');
}
