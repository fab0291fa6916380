// The `xpath` package only as xml-core's DOM hook (core/tl/signature.ts and the tests' list signer hand the module to
// setNodeDependencies). Its own typings carry `/// <reference lib="dom" />`, which would put the browser's DOM and
// WebCrypto types into every program that imports it (and clash with Node's in the tests), so tsconfig.base.json
// maps the import to this declaration instead. Nothing here is called by our code.
declare const xpath: Readonly<Record<string, unknown>>;
// eslint-disable-next-line no-restricted-syntax -- the package's own shape: one default export
export default xpath;
