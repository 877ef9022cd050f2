# Developer and CI entry points; the logic lives in tests/utils/*.sh (see tests/utils/README.md).
UTILS := tests/utils

.PHONY: help venv venv-newest venv-oldest build test sanity units lint molecule eda docs demo bench clean distclean runner navigator browser

help:
	@echo "make test       everything CI runs: venv, build, sanity, pytest on the built artifact, ansible-lint,"
	@echo "                molecule, then pytest again on ansible-core 2.21 / newest Python, then sanity + pytest on"
	@echo "                ansible-core 2.16 / Python 3.11, the oldest supported core (summary table at the end)"
	@echo "make demo       build, start the simulator on 127.0.0.1 and run playbooks/demo.yml against it"
	@echo "make venv       .venv (Python 3.11, requirements/dev.txt); instant when nothing changed"
	@echo "make build      build/taskgate-huaweicloud-*.tar.gz installed into build/collections"
	@echo "make sanity     ansible-test sanity on the working tree (ARGS='--test pylint' to narrow)"
	@echo "make units      quick pytest on the source tree (ARGS='tests/unit -k waiter' to narrow)"
	@echo "make lint       ansible-lint --profile production"
	@echo "make molecule   molecule test --all"
	@echo "make eda        ansible-rulebook (own venv .venv-eda, needs Java >= 17) runs the example rulebook"
	@echo "make docs       HTML docs of the built collection into build/docs/html (antsibull-docs + Sphinx, .venv-docs)"
	@echo "make bench      benchmark (tests/utils/bench.sh)"
	@echo "make runner     ansible-runner runs a job as AWX does (env from extensions/awx/credential_type.yml), .venv-runner"
	@echo "make navigator  ansible-navigator run --ee false --mode stdout on that job's playbook"
	@echo "make browser    headless Chromium screenshots of the docs site and a demo's timeline into build/screenshots"
	@echo "make clean      remove build/ and test output; make distclean also removes the venvs"

venv:
	@$(UTILS)/venv.sh main

venv-newest:
	@$(UTILS)/venv.sh newest

venv-oldest:
	@$(UTILS)/venv.sh oldest

build: venv
	@$(UTILS)/build.sh main

test:
	@$(UTILS)/test.sh

sanity: venv
	@$(UTILS)/sanity.sh $(ARGS)

units: venv
	@$(UTILS)/pytest.sh source $(ARGS)

lint: build
	@$(UTILS)/lint.sh || [ $$? -eq 77 ]

molecule: build
	@$(UTILS)/molecule.sh || [ $$? -eq 77 ]

eda: build
	@$(UTILS)/eda.sh $(ARGS) || [ $$? -eq 77 ]

docs: build
	@$(UTILS)/docs.sh site

demo: build
	@$(UTILS)/demo.sh

bench: build
	@$(UTILS)/bench.sh $(ARGS)

runner: build
	@$(UTILS)/runner.sh $(ARGS)

navigator: build
	@$(UTILS)/navigator.sh $(ARGS)

browser: docs
	@$(UTILS)/browser.sh $(ARGS)

clean:
	rm -rf build tests/output
	find . -name __pycache__ -type d -not -path './.venv*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf .venv .venv-newest .venv-oldest .venv-eda .venv-docs .venv-runner
