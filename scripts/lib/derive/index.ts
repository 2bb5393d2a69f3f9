/**
 * Layer plug-ins: each layer that needs shared facts (service URLs, endpoints) registers
 * a fact contributor in its own module under facts/; importing this file loads them all.
 */
import './platform.ts';
import './network.ts';
import './observability.ts';
import './inference.ts';
import './mcp.ts';
import './agents.ts';
