from __future__ import annotations

import pytest

from infra.seed import DemoTenant, DemoUser, principal_for, seed_tenant


@pytest.fixture
def tenant(aws_mock) -> DemoTenant:
    t = DemoTenant(
        "t-svc",
        "institution",
        "Commune test",
        {"name": "Commune test"},
        [
            DemoUser("admin@svc.test", ["admin"], password="Test-Password-1"),
            DemoUser("lecteur@svc.test", ["lecteur"], password="Test-Password-1"),
        ],
    )
    seed_tenant(t)
    return t


@pytest.fixture
def admin(tenant):
    return principal_for(tenant, tenant.users[0])
