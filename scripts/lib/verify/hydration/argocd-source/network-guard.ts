/**
 * The last check before this tool lets anything connect (`helm pull` with --fetch, `git clone` in
 * `npm run charts`): the URL's host must be in the repository's allow-list (apps/_hosts.yaml,
 * config/hosts.ts) and neither it nor any address it resolves to may be loopback, link-local,
 * private, shared or a cloud metadata address. Refused: an error naming the host and why, and no
 * connection is made. (The tool then connects by name again; a resolver that answers differently
 * a moment later is outside what this check can see. The catalog rule in config/hosts.ts refuses
 * the same URLs at validate time.)
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { refusedAddress, sourceHostProblem, urlHost } from '../../../config/hosts.ts';

export class NetworkRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkRefused';
  }
}

/** Resolve and judge the host of `url`; throws NetworkRefused when it may not be connected to. */
export async function guardConnection(url: string, allowed: ReadonlyMap<string, number> | ReadonlySet<string> | undefined): Promise<void> {
  if (!allowed) throw new NetworkRefused(`not connecting to ${url}: no allow-list of hosts was given`);
  const problem = sourceHostProblem(url, allowed);
  if (problem) throw new NetworkRefused(`not connecting: ${problem}`);
  const host = urlHost(url)!;
  if (isIP(host)) return;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch (err) {
    throw new NetworkRefused(`not connecting to ${host}: it does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  for (const { address } of addresses) {
    const why = refusedAddress(address);
    if (why) throw new NetworkRefused(`not connecting to ${host}: it resolves to ${address}, ${why}`);
  }
}
