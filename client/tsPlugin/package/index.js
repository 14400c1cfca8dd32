// tsserver loads plugins by package name from <extension>/node_modules; the plugin itself is
// bundled to <extension>/dist/tsPlugin.js (client/tsPlugin/index.ts).
module.exports = require('../../dist/tsPlugin.js').createPlugin;
