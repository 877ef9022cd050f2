# Appended by tests/utils/docs.sh to the conf.py that `antsibull-docs sphinx-init` generates.
# pylint: disable=undefined-variable,invalid-name

import os

project = 'taskgate.huaweicloud'
copyright = 'taskgate maintainers, GPL-3.0-or-later'  # noqa: A001 pylint: disable=redefined-builtin

# The build machines have no network: references to Ansible's own docs resolve from a small local
# inventory (docs/site/ansible_devel.inventory, turned into ansible_devel.inv by docs.sh) and still
# link to docs.ansible.com.
intersphinx_mapping = {
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/',
                      os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ansible_devel.inv')),
}

# The project notes (docs/*.md: architecture, reliability) are Markdown.
extensions.append('myst_parser')  # noqa: F821
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
myst_heading_anchors = 3
# The notes link to files of the repository, which are not pages of this site.
suppress_warnings = ['myst.xref_missing']

# The theme's top bar links to Ansible's own pages by default; point it at this project instead.
html_theme_options = {
    'topbar_links': {
        'Repository': 'https://github.com/taskgate/huaweicloud',
        'Issues': 'https://github.com/taskgate/huaweicloud/issues',
        'Galaxy': 'https://galaxy.ansible.com/ui/repo/published/taskgate/huaweicloud/',
    },
    'show_rtd_ethical_ads': False,
    'show_extranav': False,
}
