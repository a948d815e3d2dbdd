"""With REDIS_URL, every app server shares one page cache: two gunicorn servers on one
database serve the same pages, and a change made anywhere shows on both at once.

Runs where Redis answers (the `redis_url` fixture); CI has one, and there a Redis that does
not answer is a failure, not a skip.
"""

import urllib.request

from tests.servers import own_database, serve


def page(site, path):
    with urllib.request.urlopen(site.base + path, timeout=10) as response:
        return response.status, response.read().decode()


def test_two_servers_share_redis_and_a_change_shows_on_both_at_once(tmp_path, redis_url):
    import redis

    with own_database() as database_url:
        setup = [("migrate", "--no-input"), ("load_seed",)]
        with (
            serve(tmp_path, database_url, setup, REDIS_URL=redis_url, WEB_CONCURRENCY="2") as one,
            serve(tmp_path, database_url, [], REDIS_URL=redis_url, WEB_CONCURRENCY="2") as two,
        ):
            for site in (one, two):
                for path in ("/fr/", "/fr/terms/taux-d-attrition/", "/en/search/?q=churn"):
                    status, body = page(site, path)
                    assert status == 200, (path, body[:200])
            _status, before = page(two, "/fr/terms/taux-d-attrition/")
            assert "Taux d’attrition" in before
            keys = redis.Redis.from_url(redis_url).keys("*")
            assert keys, "the reader pages were not cached in Redis"

            changed = tmp_path / "changed.csv"
            changed.write_text(
                "slug,term_fr\ntaux-d-attrition,Taux d’attrition des clients\n", encoding="utf-8"
            )
            one.manage("import_glossary", str(changed))
            for site in (one, two):
                _status, body = page(site, "/fr/terms/taux-d-attrition/")
                assert "Taux d’attrition des clients" in body
