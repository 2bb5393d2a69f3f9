/** The Argo CD Lua sandbox lives with the simulation, which runs the same scripts (scripts/lib/verify/simulation/lua-vm.ts). */
export { HEALTH_CODES, runHealthScript, type HealthCode, type HealthResult } from '../../scripts/lib/verify/simulation/lua-vm.ts';
