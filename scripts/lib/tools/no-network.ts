/**
 * The environment of a tool run that must not use the network (kustomize build, helm template):
 * every proxy variable points at 0.0.0.0 port 0 (a connection there fails at once, reaching no
 * listener), no host is exempt from it, and git may use no transport at all (kustomize clones
 * remote bases with git). Go's http client sends loopback addresses around any proxy
 * (golang.org/x/net/http/httpproxy: "requests to localhost … are not proxied"), so this is the
 * second fence: the first is that a remote resource is refused before kustomize starts
 * (verify/source-inputs/) and helm is given a chart archive, never a repository.
 */
const DEAD_PROXY = 'http://0.0.0.0:0';

export function noNetworkEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) env[k] = DEAD_PROXY;
  for (const k of ['NO_PROXY', 'no_proxy']) delete env[k];
  env.GIT_ALLOW_PROTOCOL = 'none';
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_CONFIG_COUNT = '1';
  env.GIT_CONFIG_KEY_0 = 'protocol.allow';
  env.GIT_CONFIG_VALUE_0 = 'never';
  return env;
}
