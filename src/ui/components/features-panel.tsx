import { useShallow } from 'zustand/react/shallow';
import { labController, labStore, useLab } from '../page';
import { AlignmentHeatmap, DecoderGrid, FeatureTable, type FeatureSortKey } from '../views';
import { SidePicker } from './side-picker';

/** One seed's features as images, and how they line up with another seed's; click any to inspect it. */
export function FeaturesPanel() {
  const { side, seed, feature, sortBy, pair, snapshot, heatmap, dataset, labelled, featureLabels, findingLabels } = useLab(
    useShallow((s) => {
      const runtime = s.runtime[s.selection.side];
      return {
        ...s.selection,
        snapshot: runtime.snapshot,
        heatmap: runtime.pairHeatmap,
        dataset: s.experiment.dataset,
        labelled: (runtime.ready?.shards?.labelNames?.length ?? 0) > 0,
        featureLabels: runtime.featureLabels,
        findingLabels: runtime.findingLabels,
      };
    }),
  );
  const images = dataset === 'mnist';
  const { select, selectFeature } = labStore.getState();
  const viewProps = {
    seed,
    sortBy,
    onSortChange: (sortBy: FeatureSortKey) => select({ sortBy }),
    selected: feature,
    onSelect: (f: number) => selectFeature(side, seed, f),
  };
  return (
    <section className="panel" data-testid="features-panel">
      <h2>Features</h2>
      <p className="caption">
        {images
          ? "Each tile is one feature's decoder direction as a 28×28 image (red adds ink, blue removes it). The bar under a tile is its stability: how well it is matched in the other seeds. "
          : `Each row is one feature: its stability (how well it is matched in the other seeds), how often it fired on recent training rows, and its decoder norm${labelled ? ', and (once found) the document label most common among its top contexts' : ''}. `}
        The heatmap shows |cos| between two seeds' features, ordered so matched pairs sit on the diagonal; a bright diagonal
        means the seeds agree. Click a {images ? 'tile' : 'row'} to inspect its feature, or a heatmap cell to inspect its row's feature with its
        column's feature beside it.
        {images ? '' : ' Only the rows in view are drawn, so even 16,384 features scroll smoothly; type an index to jump to that feature.'} Drag a square
        across the heatmap to zoom into that block (down to single cells); the trail above it goes back out.
      </p>
      <SidePicker />
      {snapshot ? (
        <div className="features-row">
          {/* Digits' decoder directions are images; a language model's are not: a sortable table instead. */}
          {images ? (
            <DecoderGrid snapshot={snapshot} {...viewProps} />
          ) : (
            <FeatureTable snapshot={snapshot} {...viewProps} labels={labelled ? { found: featureLabels, finding: findingLabels, onFind: () => void labController.findFeatureLabels() } : undefined} />
          )}
          {snapshot.seeds.length > 1 ? (
            <AlignmentHeatmap
              heatmap={heatmap}
              onViewChange={(range, size) => select({ heatmapView: { range, size } })}
              seedOptions={snapshot.seeds}
              pair={pair}
              onPairChange={(a, b) => select({ pair: [a, b] })}
              onSelect={(featureA, featureB) =>
                // The row's feature is inspected, the column's shown beside it (see CellComparison).
                heatmap && selectFeature(side, heatmap.seedA, featureA, { companion: { seed: heatmap.seedB, feature: featureB } })
              }
            />
          ) : (
            <p className="muted">Train two or more seeds to compare their features.</p>
          )}
        </div>
      ) : (
        <p className="muted placeholder">The features appear here about a second after training starts.</p>
      )}
    </section>
  );
}
