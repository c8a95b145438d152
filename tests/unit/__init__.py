"""Fast tests of pure logic, one file per module (a package, so their names may repeat the end-to-end files')."""
