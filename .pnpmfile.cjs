// pnpm hooks. beforePacking: what `pnpm pack` / `pnpm publish` put in a package's tarball
// package.json. The build scripts only make sense in this repo, so they are not published.
module.exports = {
  hooks: {
    beforePacking(pkg) {
      delete pkg.scripts
      return pkg
    },
  },
}
