// tap's coverage map (`--coverage-map=test/coverage-map.mjs`): every test file records coverage of the
// production code under src/ only, so the report and its floor measure src/ and not the tests, their
// helpers or the local cluster's code. It is passed on the command line rather than set in .taprc because
// tap writes path options back into .taprc as absolute paths whenever it rebuilds its plugins.
export default () => 'src/**/*.ts';
