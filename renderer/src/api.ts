// The renderer's only way out: window.api, typed from the preload contract (types only, no runtime import).
import type { SealdeskApi } from '../../preload/api.js';

declare global {
  interface Window {
    readonly api: SealdeskApi;
  }
}

export const api = (): SealdeskApi => window.api;
