"""Tests of the Python bindings (stdlib unittest). Run with KITH_LIBRARY set
to the built libkith.so.1; KITH_EXAMPLES_DATA names examples/data.

SPDX-License-Identifier: MIT
"""

import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kith  # noqa: E402

T0 = 1795132800000


class CommunityTest(unittest.TestCase):
    def test_events_and_stats(self):
        with kith.Community() as c:
            c.ingest(kith.JOIN, T0, "alice")
            c.ingest(kith.MESSAGE, T0 + 1000, "bob", msg_id="m1", text="hello alice", to="alice")
            c.ingest(kith.MESSAGE, T0 + 2000, "alice", msg_id="m2", reply_to="m1", text="hi bob")
            self.assertEqual(c.member_count(), 2)
            self.assertEqual(c.message_count(), 2)
            alice = c.find_member("alice")
            self.assertEqual(c.member_id(alice), "alice")
            self.assertEqual(c.stat(alice, kith.STAT_REPLIES_RECEIVED), 1)
            self.assertEqual(c.stat(alice, kith.STAT_REPLIES_GIVEN), 1)
            self.assertEqual(c.active_days(alice, T0 + 2000), 1)
            row = json.loads(c.member_json(alice, T0 + 2000))
            self.assertEqual(row["messages"], 1)
            self.assertEqual(row["first_msg_ms"], T0 + 2000)

    def test_a_missing_library_says_what_to_set(self):
        env = dict(os.environ, KITH_LIBRARY="/nonexistent/libkith.so.1")
        here = os.path.dirname(os.path.abspath(__file__))
        run = subprocess.run([sys.executable, "-c", "import kith"], cwd=here, env=env,
                             capture_output=True, text=True)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("ImportError", run.stderr)
        self.assertIn("KITH_LIBRARY", run.stderr)
        self.assertIn("meson install", run.stderr)

    def test_errors_raise_with_the_message(self):
        with kith.Community() as c:
            c.ingest(kith.JOIN, T0, "a")
            with self.assertRaises(kith.KithError) as caught:
                c.ingest(kith.JOIN, T0 - 1, "b")
            self.assertEqual(caught.exception.status, -8)  # KITH_EORDER
            with self.assertRaises(kith.KithError) as caught:
                c.ingest_trace("%d\tjoin\ta\n%d\tfrobnicate\tb\n" % (T0 + 1, T0 + 2))
            self.assertIn("line 2", str(caught.exception))
            with self.assertRaises(kith.KithError):
                c.set("community.capacity", "-1")
            with self.assertRaises(kith.KithError):
                c.find_member("nobody")

    def test_settings_and_snapshot_round_trip(self):
        path = os.path.join(os.environ.get("KITH_EXAMPLES_DATA", ""), "sample.trace")
        with kith.Community() as c:
            c.set("community.utc_offset", "+08:00")
            self.assertEqual(c.get("community.utc_offset"), "+08:00")
            if os.path.exists(path):
                with open(path, "rb") as f:
                    c.ingest_trace(f.read())
            else:
                c.ingest(kith.MESSAGE, T0, "x", msg_id="m", text="t")
            blob = c.save()
            with kith.Community() as d:
                d.load(blob)
                self.assertEqual(d.save(), blob)
                self.assertEqual(d.member_count(), c.member_count())
                now = c.last_event_ms()
                for h in range(c.member_count()):
                    self.assertEqual(d.member_json(h, now), c.member_json(h, now))

    def test_version(self):
        self.assertEqual(kith.version().split(".")[0], "1")


if __name__ == "__main__":
    unittest.main()
