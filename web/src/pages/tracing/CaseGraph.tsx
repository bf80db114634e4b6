/**
 * The transmission graph of a case (GET /api/cases/:id/graph), drawn by cytoscape, which is
 * imported on demand so only this page downloads it. Cases red, venues grey, F1 orange, F2
 * yellow; F2s collapsed behind their F1 unless expanded. Small graphs are laid out as a tree
 * from the case, larger ones in rings (cases, venues, F1, F2) so hundreds of nodes stay readable.
 */
import { useNavigate } from "@solidjs/router";
import type { Core, ElementDefinition, LayoutOptions, StylesheetJson } from "cytoscape";
import { Show, createEffect, createSignal, on, onCleanup } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { getGraph, type Graph, type GraphNode } from "./tracing.api";

export const GRAPH_COLOURS = { case: "#d92d20", venue: "#98a2b3", f1: "#f79009", f2: "#fdd835" } as const;
/** Room a node needs in a row of the tree layout, in pixels. */
const TREE_SLOT = 55;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

type Mode = "collapsed" | "expanded";

const nodeClass = (n: GraphNode) => (n.kind === "contact" ? `contact f${n.degree ?? 1}` : n.kind);
/** Nodes per ring before the next ring starts, so a ring of hundreds of F1s becomes several. */
const RING_SIZE = { case: 40, venue: 40, f1: 80, f2: 120 } as const;
const RING_BASE = { case: 4000, venue: 3000, f1: 2000, f2: 1000 } as const;

/** Concentric value of each node: cases in the centre, then venues, F1s, F2s, each split in rings. */
function rings(nodes: GraphNode[]): Map<string, number> {
  const seen = { case: 0, venue: 0, f1: 0, f2: 0 };
  const out = new Map<string, number>();
  for (const n of nodes) {
    const group = n.kind === "contact" ? (n.degree === 2 ? "f2" : "f1") : n.kind;
    out.set(n.id, RING_BASE[group] - Math.floor(seen[group]++ / RING_SIZE[group]));
  }
  return out;
}

function toElements(graph: Graph): ElementDefinition[] {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const ring = rings(graph.nodes);
  const nodes: ElementDefinition[] = graph.nodes.map((n) => ({
    group: "nodes",
    data: {
      id: n.id,
      label: n.hidden > 0 ? `${n.label}\n+${n.hidden} F2` : n.label,
      kind: n.kind,
      ring: ring.get(n.id) ?? 0,
      status: n.status ?? "",
    },
    classes: nodeClass(n) + (n.hidden > 0 ? " collapsed" : ""),
  }));
  // A truncated graph may name nodes it left out: those edges are dropped.
  const edges: ElementDefinition[] = graph.edges
    .filter((e) => ids.has(e.from) && ids.has(e.to))
    .map((e, i) => ({ group: "edges", data: { id: `e${i}`, source: e.from, target: e.to, kind: e.kind }, classes: e.kind }));
  return [...nodes, ...edges];
}

const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-size": 10,
      "text-valign": "bottom",
      "text-margin-y": 3,
      "text-wrap": "wrap",
      "text-max-width": "120px",
      color: "#17212b",
      "text-outline-color": "#fbfcfd",
      "text-outline-width": 2,
      "min-zoomed-font-size": 7,
      "border-width": 1,
      "border-color": "rgba(0,0,0,0.25)",
    },
  },
  { selector: "node.case", style: { "background-color": GRAPH_COLOURS.case, width: 34, height: 34, "font-size": 12, "font-weight": "bold", "min-zoomed-font-size": 0 } },
  { selector: "node.venue", style: { "background-color": GRAPH_COLOURS.venue, shape: "round-rectangle", width: 26, height: 20, "min-zoomed-font-size": 4 } },
  { selector: "node.f1", style: { "background-color": GRAPH_COLOURS.f1, width: 16, height: 16 } },
  { selector: "node.f2", style: { "background-color": GRAPH_COLOURS.f2, width: 11, height: 11, "font-size": 8 } },
  { selector: "node.collapsed", style: { "border-width": 3, "border-color": GRAPH_COLOURS.f2 } },
  { selector: "node:selected", style: { "border-width": 3, "border-color": "#0b6e4f" } },
  {
    selector: "edge",
    style: { width: 1, "line-color": "#c5ccd6", "curve-style": "straight", "target-arrow-shape": "none", opacity: 0.85 },
  },
  { selector: "edge.infected", style: { width: 3, "line-color": GRAPH_COLOURS.case, "target-arrow-shape": "triangle", "target-arrow-color": GRAPH_COLOURS.case } },
  { selector: "edge.via", style: { "line-style": "dashed", "line-color": "#e0b100" } },
  { selector: "edge.contact", style: { "line-style": "dotted", "line-color": GRAPH_COLOURS.f1 } },
];

/**
 * A tree from the case (case, venues, F1s, F2s in rows) while its widest row fits the box; rings
 * otherwise, which hold hundreds of nodes: a fan of 300 F1s in one row would be unreadable.
 */
function layoutFor(graph: Graph, width: number): LayoutOptions {
  const rows = { case: 0, venue: 0, f1: 0, f2: 0 };
  for (const n of graph.nodes) rows[n.kind === "contact" ? (n.degree === 2 ? "f2" : "f1") : n.kind]++;
  const widest = Math.max(rows.case, rows.venue, rows.f1, rows.f2);
  if (widest * TREE_SLOT <= width) {
    const roots = graph.nodes.filter((n) => n.kind === "case").map((n) => n.id);
    return { name: "breadthfirst", directed: true, roots, spacingFactor: 1.15, avoidOverlap: true, animate: false, padding: 24 };
  }
  const small = graph.nodes.length < 150;
  return {
    name: "concentric",
    concentric: (node) => Number(node.data("ring")),
    levelWidth: () => 1,
    minNodeSpacing: 10,
    nodeDimensionsIncludeLabels: small,
    avoidOverlap: graph.nodes.length < 600,
    animate: false,
    padding: 16,
  } as LayoutOptions;
}

export default function CaseGraph(props: { caseId: string; version: number }) {
  const navigate = useNavigate();
  const [mode, setMode] = createSignal<Mode>("collapsed");
  const [graph, setGraph] = createSignal<Graph | null>(null);
  const [loading, setLoading] = createSignal(true);
  const [error, setError] = createSignal<unknown>(null);
  const [ready, setReady] = createSignal(false);
  let box!: HTMLDivElement;
  let cy: Core | null = null;
  let controller: AbortController | null = null;
  let disposed = false;

  const counts = () => {
    const g = graph();
    const n = { cases: 0, venues: 0, f1: 0, f2: 0 };
    for (const node of g?.nodes ?? []) {
      if (node.kind === "case") n.cases++;
      else if (node.kind === "venue") n.venues++;
      else if (node.degree === 2) n.f2++;
      else n.f1++;
    }
    return n;
  };

  async function draw(g: Graph) {
    const { default: cytoscape } = await import("cytoscape");
    if (disposed) return;
    const elements = toElements(g);
    const big = g.nodes.length > 300;
    if (!cy) {
      cy = cytoscape({
        container: box,
        style: STYLE,
        minZoom: 0.05,
        maxZoom: 4,
        boxSelectionEnabled: false,
        // Large graphs: draw a snapshot while panning or zooming.
        textureOnViewport: big,
        hideEdgesOnViewport: big,
        pixelRatio: big ? 1 : "auto",
      });
      cy.on("tap", "node", (event) => {
        const data = event.target.data() as { id: string; kind: string };
        const id = UUID.exec(data.id)?.[0];
        if (!id) return;
        if (data.kind === "contact") navigate(`/contacts/${id}`);
        else if (data.kind === "case" && id !== props.caseId) navigate(`/cases/${id}`);
      });
    }
    cy.batch(() => {
      cy!.elements().remove();
      cy!.add(elements);
    });
    cy.layout(layoutFor(g, box.clientWidth)).run();
    cy.fit(undefined, 20);
    setReady(true);
  }

  const load = async () => {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    setLoading(true);
    setError(null);
    try {
      const g = await getGraph(props.caseId, mode(), mine.signal);
      if (mine.signal.aborted) return;
      setGraph(g);
      await draw(g);
    } catch (err) {
      if (!mine.signal.aborted) setError(err);
    } finally {
      if (!mine.signal.aborted) setLoading(false);
    }
  };

  createEffect(on([() => props.caseId, () => props.version, mode], () => void load()));
  onCleanup(() => {
    disposed = true;
    controller?.abort();
    cy?.destroy();
    cy = null;
  });

  const onlyTheCase = () => (graph()?.nodes.length ?? 0) <= 1;

  return (
    <section class="card tracing-card" aria-labelledby="case-graph-title" data-testid="case-graph">
      <div class="section-head">
        <div>
          <h2 id="case-graph-title">{t("tracing.graph.title")}</h2>
          <p class="small muted" data-testid="case-graph-counts">
            {t("tracing.graph.counts", { cases: counts().cases, venues: counts().venues, f1: counts().f1, f2: counts().f2 })}
          </p>
        </div>
        <div class="head-actions">
          <div class="segmented" role="group" aria-label={t("tracing.graph.f2")}>
            <button type="button" aria-pressed={mode() === "collapsed"} onClick={() => setMode("collapsed")} data-testid="graph-f2-collapsed">
              {t("tracing.graph.collapsed")}
            </button>
            <button type="button" aria-pressed={mode() === "expanded"} onClick={() => setMode("expanded")} data-testid="graph-f2-expanded">
              {t("tracing.graph.expanded")}
            </button>
          </div>
          <button type="button" class="btn btn-small btn-ghost" disabled={!ready()} onClick={() => cy?.fit(undefined, 20)} data-testid="graph-fit">
            {t("tracing.graph.fit")}
          </button>
        </div>
      </div>
      <ErrorBanner error={error()} onRetry={() => void load()} testId="graph-error" />
      <Show when={graph()?.truncated}>
        <div class="banner banner-info" data-testid="graph-truncated">
          <div class="banner-body">
            <p class="banner-message">{t("tracing.graph.truncated", { n: graph()!.nodes.length })}</p>
          </div>
        </div>
      </Show>
      <div
        class="graph-box"
        ref={box}
        role="img"
        aria-label={t("tracing.graph.title")}
        data-testid="case-graph-canvas"
        data-ready={ready() ? "true" : "false"}
        data-nodes={graph()?.nodes.length ?? 0}
        data-edges={graph()?.edges.length ?? 0}
        data-mode={mode()}
      />
      <Show when={loading() || (ready() && onlyTheCase())}>
        <p class="small muted graph-note" data-testid="graph-note">
          <Show when={loading()} fallback={t("tracing.graph.empty")}>
            <Spinner inline label={t("common.loading")} />
          </Show>
        </p>
      </Show>
      <ul class="graph-legend" data-testid="graph-legend">
        <li>
          <span class="legend-dot" style={{ background: GRAPH_COLOURS.case }} />
          {t("tracing.graph.legend.case")}
        </li>
        <li>
          <span class="legend-dot legend-square" style={{ background: GRAPH_COLOURS.venue }} />
          {t("tracing.graph.legend.venue")}
        </li>
        <li>
          <span class="legend-dot" style={{ background: GRAPH_COLOURS.f1 }} />
          F1
        </li>
        <li>
          <span class="legend-dot" style={{ background: GRAPH_COLOURS.f2 }} />
          F2
        </li>
        <li>
          <span class="legend-dot" style={{ background: "#fff", "border-color": GRAPH_COLOURS.f2, "border-width": "3px" }} />
          {t("tracing.graph.legend.collapsed")}
        </li>
      </ul>
    </section>
  );
}
