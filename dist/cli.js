#!/usr/bin/env node
import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import e from"node:module";e.enableCompileCache?.();await import("./chunks/main-V25VGUEJ.js");
