# JupyterHub for a class working through the ntm-notebooks lessons on ONE server.
#
#   pip install -e ".[classroom,notebooks]"         # jupyterhub + the lessons' kernel
#   npm install -g configurable-http-proxy          # the hub's proxy (Node.js)
#   export NTM_CLASS_PASSWORD='a-long-shared-secret'   # 8 characters or more
#   jupyterhub -f classroom/jupyterhub_config.py
#
# then open http://127.0.0.1:8000 (docs/classroom.md: how to put it behind
# HTTPS, log in with the university's accounts, and hand out the notebooks).
#
# Settings read from the environment, so that the same file serves a trial run,
# the class and classroom/loadtest.py:
#   NTM_CLASS_PASSWORD  the shared password of the trial login (required)
#   NTM_CLASS_ADMINS    comma-separated admin user names (default: none)
#   NTM_CLASS_STATE     folder for the hub's database and cookie secret
#                       (default /srv/jupyterhub; never the repository)
#   NTM_CLASS_HOMES     parent of the students' home folders under
#                       SimpleLocalProcessSpawner (default /srv/ntm-class/home)
#   NTM_CLASS_BIND_URL  public URL the proxy listens on (default http://127.0.0.1:8000)
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (injected by JupyterHub when it loads this file)

# Limits per student, from the measured class (docs/classroom.md, "Measurement";
# data/results/classroom_loadtest.json; tests/test_classroom.py keeps them
# consistent with it). MEM_LIMIT covers one student's single-user server and all
# of that student's kernels (1.9 GB RSS at the peak of notebooks 06 and 03 open
# together, plus room); MEM_GUARANTEE what an idle student keeps (0.9 GB PSS);
# CPU_LIMIT is in cores.
MEM_LIMIT = "3G"
MEM_GUARANTEE = "1G"
CPU_LIMIT = 1.0
CPU_GUARANTEE = 0.05

state = Path(os.environ.get("NTM_CLASS_STATE", "/srv/jupyterhub"))
state.mkdir(parents=True, exist_ok=True)

# --- the hub ------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("NTM_CLASS_BIND_URL", "http://127.0.0.1:8000")
# For a real class, serve HTTPS: put nginx/Caddy in front of bind_url, or give
# the hub a certificate (c.JupyterHub.ssl_cert / ssl_key) and bind_url = "https://...".
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
# 100 students arriving at 9:00 start their servers at once: let them.
c.JupyterHub.concurrent_spawn_limit = 100
c.JupyterHub.active_server_limit = 0

# --- login ----------------------------------------------------------------------
# For trying the hub: one shared password for every student (JupyterHub >= 5.3's
# built-in "shared-password"; older versions have "dummy", which accepts any
# password, or DummyAuthenticator.password). Anyone with the password may log in
# as any non-admin user: fine for a trial, not for graded work.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("NTM_CLASS_PASSWORD")
c.Authenticator.allow_all = True
admins = {name.strip() for name in os.environ.get("NTM_CLASS_ADMINS", "").split(",") if name.strip()}
c.Authenticator.admin_users = admins
if admins:
    # Admins log in with their own password, 32 characters or more.
    c.SharedPasswordAuthenticator.admin_password = os.environ.get("NTM_CLASS_ADMIN_PASSWORD")
#
# The university's login instead (docs/classroom.md, "Login"):
# - OAuth2 / OpenID Connect (Azure AD/Entra, Google, Keycloak, Shibboleth via
#   an OIDC bridge): pip install oauthenticator, then
#     c.JupyterHub.authenticator_class = "generic-oauth"   # or "azuread", "google", ...
#     c.GenericOAuthenticator.client_id = ...; client_secret = ...
#     c.GenericOAuthenticator.oauth_callback_url = "https://HUB/hub/oauth_callback"
#     c.GenericOAuthenticator.authorize_url / token_url / userdata_url = ...
#     c.GenericOAuthenticator.username_claim = "preferred_username"
#     c.GenericOAuthenticator.allowed_groups = {"ntm-course-2026"}   # only the class
# - From the learning-management system (Moodle, Canvas, Blackboard) as an LTI
#   tool: pip install jupyterhub-ltiauthenticator, then
#     c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
#   (or the LTI 1.1 LTI11Authenticator with consumers = {key: secret}); students
#   then click a link in the course page and land in their server, no password.

# --- the students' servers ------------------------------------------------------
# SimpleLocalProcessSpawner: every student's server is a process of the user
# running the hub, with a home folder of its own. No isolation between students
# (any of them can read the others' files): for trying the hub and for the
# load test only.
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
homes = Path(os.environ.get("NTM_CLASS_HOMES", "/srv/ntm-class/home"))
c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
#
# A real class on one server: LocalProcessSpawner, with one system user per
# student (create them, e.g. `useradd -m student01`, or let the hub do it with
# c.LocalAuthenticator.create_system_users = True when the authenticator is a
# LocalAuthenticator); the hub runs as root, each server as its student, in
# that student's home, and Unix permissions separate them:
#   c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
# For enforced limits on one machine use SystemdSpawner (pip install
# jupyterhub-systemdspawner: a cgroup per student) or DockerSpawner with the
# image of classroom/Dockerfile.

# The server and its kernels run on the hub's Python (the environment where
# ntm-notebooks and its notebooks extra are installed).
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "JUPYTERHUB_SINGLEUSER_APP"]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab/tree/ntm-notebooks/notebooks"
c.Spawner.environment = {
    "KERAS_BACKEND": "tensorflow",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
}
# Under load a server can take tens of seconds to come up (100 at 9:00).
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120

# mem_limit and cpu_limit: (Simple)LocalProcessSpawner does NOT enforce them; it
# only passes them on as MEM_LIMIT and CPU_LIMIT (jupyter-resource-usage shows
# them in JupyterLab's status bar). They are enforced by KubeSpawner (Zero to
# JupyterHub: classroom/z2jh-values.yaml), DockerSpawner and SystemdSpawner,
# which read the same two settings (and the guarantees, where they have them).
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.cpu_limit = CPU_LIMIT
c.Spawner.mem_guarantee = MEM_GUARANTEE
c.Spawner.cpu_guarantee = CPU_GUARANTEE

# Idle culling without another package: each server shuts down kernels idle
# for 30 minutes, and itself after an hour with no activity (the hub then shows
# it as stopped; the student's files stay). Zero to JupyterHub does the same
# with its jupyterhub-idle-culler service (z2jh-values.yaml, `cull:`).
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=120",
    "--MappingKernelManager.cull_connected=True",
    "--ServerApp.shutdown_no_activity_timeout=3600",
]
if os.geteuid() == 0:
    # SimpleLocalProcessSpawner runs the servers as the hub's user; a hub run
    # as root (in a container, in CI) would have every server refuse to start.
    # LocalProcessSpawner switches to the student's own user and needs no such flag.
    c.Spawner.args.append("--ServerApp.allow_root=True")
