/**
 * Names a file or folder cannot have on Windows: the device names `con`, `prn`, `aux`, `nul`,
 * `com0`-`com9`, `lpt0`-`lpt9` (and the superscript digits), in any case and with any extension
 * (Microsoft, "Naming Files, Paths, and Namespaces"). An env or component with such a name makes
 * files (`environments/con.yaml`, `generated/con/`) that a Windows checkout cannot hold.
 */
export function windowsReserved(name: string): boolean {
  return /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i.test(name);
}
