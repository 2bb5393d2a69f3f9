/** The label render puts on every object of a local component (kustomize `labels`), naming the component; verify reads it back. */
export const COMPONENT_LABEL = 'catalyst.dev/component';
