/**
 * Deciding which manifests a merge append combines (the reference implementation's manifest
 * merge manager): manifests are grouped by content and partition spec, each group is bin-packed
 * by size from its oldest end, so the partially filled bin is the one holding the newest
 * manifests. A bin of one stays as it is; the bin holding the snapshot's first manifest waits
 * until it has `minCountToMerge` manifests (so small appends do not rewrite a manifest on every
 * commit); every other bin is merged. The manifest count therefore stays bounded by roughly
 * min-count-to-merge plus one per full bin, whatever the number of commits.
 */
import type { ManifestFile } from "../manifest/types.ts";

/** The commit.manifest.* settings that drive merging. */
export interface MergeSettings {
  targetSizeBytes: bigint;
  minCountToMerge: number;
}

/** Packs `items` into bins of at most `target` total weight, filling from the end (an oversize item gets a bin of its own). */
export function packFromEnd<T>(items: T[], weight: (item: T) => bigint, target: bigint): T[][] {
  const bins: T[][] = [];
  let bin: T[] = [];
  let size = 0n;
  for (let i = items.length - 1; i >= 0; i--) {
    const w = weight(items[i]);
    if (bin.length > 0 && size + w > target) {
      bins.push(bin.reverse());
      bin = [];
      size = 0n;
    }
    bin.push(items[i]);
    size += w;
  }
  if (bin.length > 0) bins.push(bin.reverse());
  return bins.reverse();
}

/**
 * The manifest list after merging: `merge(bin)` writes one manifest replacing the bin's manifests.
 * Order is kept: groups in order of first appearance, bins in order within a group.
 */
export async function mergeManifests(
  manifests: ManifestFile[],
  settings: MergeSettings,
  merge: (bin: ManifestFile[]) => Promise<ManifestFile>,
): Promise<ManifestFile[]> {
  const groups = new Map<string, ManifestFile[]>();
  const firstOfContent = new Map<number, ManifestFile>();
  for (const manifest of manifests) {
    const key = `${manifest.content}:${manifest.partitionSpecId}`;
    groups.set(key, [...(groups.get(key) ?? []), manifest]);
    if (!firstOfContent.has(manifest.content)) firstOfContent.set(manifest.content, manifest);
  }
  const result: ManifestFile[] = [];
  for (const group of groups.values()) {
    const first = firstOfContent.get(group[0].content);
    for (const bin of packFromEnd(group, (m) => m.manifestLength, settings.targetSizeBytes)) {
      if (bin.length === 1) result.push(bin[0]);
      else if (first !== undefined && bin.includes(first) && bin.length < settings.minCountToMerge) result.push(...bin);
      else result.push(await merge(bin));
    }
  }
  return result;
}
