// as-pect runs the core's unit tests (tests/assembly/*.spec.ts), each file
// compiled with the sources it imports, in the debug configuration.
export default {
  entries: ["tests/assembly/**/*.spec.ts"],
  include: [],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
