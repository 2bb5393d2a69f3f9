/**
 * Layer plug-ins: each layer that needs shared facts (service URLs, endpoints) registers
 * a fact contributor in its own module under facts/; importing this file loads them all.
 */
import './facts/platform.ts';
import './facts/network.ts';
import './facts/observability.ts';
import './facts/inference.ts';
import './facts/mcp.ts';
import './facts/agents.ts';
