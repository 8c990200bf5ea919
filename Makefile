# The two commands of README.md. Both install what is missing first (scripts/install.sh).
.PHONY: serve test

# Build the release app and serve it at http://127.0.0.1:8080
serve:
	scripts/install.sh
	PATH="$(CURDIR)/node_modules/.bin:$$HOME/.cargo/bin:$$PATH" trunk build --release
	node scripts/serve-dist.mjs dist 8080

# Run everything CI runs
test:
	scripts/test.sh
