// One budget per import scenario (min+gzip, as an app's bundler would ship it).
module.exports = [
  {
    name: 'createClient',
    path: 'dist/index.mjs',
    import: '{ createClient }',
    gzip: true,
    limit: '2.5 kB',
  },
];
