"""Shortest paths, tours and clusters over depot networks of several sizes."""

from __future__ import annotations

import time
from decimal import Decimal

from django.db.models import Count, Sum
from django.test import TestCase

from routing.models import Depot, Lane, Region, Vehicle
from routing.services import (
    all_pairs,
    dijkstra,
    graph_of,
    haversine,
    kmeans,
    make_network,
    nearest_neighbour_tour,
    tour_length,
    two_opt,
)


class NetworkChecks:
    """The checks every network must pass; subclasses choose its region, size and seed."""

    region_code = "NORTH"
    depots = 40
    seed = 1

    @classmethod
    def setUpTestData(cls):
        cls.region = Region.objects.get(code=cls.region_code)
        make_network(cls.region, cls.depots, cls.seed)

    def graph(self):
        lanes = Lane.objects.filter(origin__region=self.region, origin__is_open=True)
        return graph_of(lanes.values_list("origin_id", "destination_id", "km"))

    def points(self):
        depots = Depot.objects.filter(region=self.region).order_by("id")
        return list(depots.values_list("latitude", "longitude"))

    def test_every_depot_is_at_zero_from_itself(self):
        graph = self.graph()
        for source in graph:
            self.assertEqual(dijkstra(graph, source)[source], 0.0)

    def test_triangle_inequality(self):
        distances = all_pairs(self.graph())
        nodes = sorted(distances)[:22]
        for a in nodes:
            for b in nodes:
                for c in nodes:
                    if b in distances[a] and c in distances[b] and c in distances[a]:
                        self.assertLessEqual(
                            distances[a][c], distances[a][b] + distances[b][c] + 1e-6
                        )

    def test_lanes_are_never_shorter_than_the_great_circle(self):
        lanes = Lane.objects.filter(origin__region=self.region).select_related(
            "origin", "destination"
        )
        for lane in lanes:
            crow = haversine(
                (lane.origin.latitude, lane.origin.longitude),
                (lane.destination.latitude, lane.destination.longitude),
            )
            self.assertGreaterEqual(lane.km, crow)

    def test_every_depot_has_outgoing_lanes(self):
        counts = Depot.objects.filter(region=self.region).annotate(out=Count("lanes_out"))
        self.assertEqual({depot.out for depot in counts}, {4})

    def test_tour_visits_every_depot_once(self):
        points = self.points()
        for start in range(6):  # the tour from several starting depots
            rotated = points[start:] + points[:start]
            order = two_opt(rotated, nearest_neighbour_tour(rotated), passes=3)
            self.assertEqual(sorted(order), list(range(len(points))))

    def test_two_opt_never_lengthens_the_tour(self):
        points = self.points()
        greedy = nearest_neighbour_tour(points)
        improved = two_opt(points, greedy, passes=4)
        self.assertLessEqual(tour_length(points, improved), tour_length(points, greedy) + 1e-6)

    def test_clusters_share_the_capacity(self):
        depots = list(Depot.objects.filter(region=self.region).order_by("id"))
        labels = kmeans([(d.latitude, d.longitude) for d in depots], 4, self.seed, rounds=40)
        by_cluster = [0, 0, 0, 0]
        for depot, label in zip(depots, labels, strict=True):
            by_cluster[label] += depot.capacity
        total = Depot.objects.filter(region=self.region).aggregate(total=Sum("capacity"))["total"]
        self.assertEqual(sum(by_cluster), total)

    def test_closed_depot_leaves_the_network(self):
        closed = Depot.objects.filter(region=self.region).order_by("id")[3]
        Depot.objects.filter(pk=closed.pk).update(is_open=False)
        graph = self.graph()
        self.assertNotIn(closed.pk, [node for node in graph if graph[node]])
        self.assertEqual(Depot.objects.filter(region=self.region, is_open=False).count(), 1)

    def test_fuel_cost_of_the_tour(self):
        depot = Depot.objects.filter(region=self.region).first()
        vehicle = Vehicle.objects.create(
            code=f"V-{self.region_code}", depot=depot, payload_kg=1200, km_per_litre=8.0
        )
        points = self.points()
        km = tour_length(points, two_opt(points, nearest_neighbour_tour(points)))
        litres = Decimal(str(round(km / vehicle.km_per_litre, 3)))
        cost = (litres * self.region.fuel_price).quantize(Decimal("0.01"))
        self.assertGreater(cost, Decimal(0))

    def test_carrier_confirms_the_route(self):
        # The carrier's API answers in about 20 ms; the test waits for it like real code.
        time.sleep(0.02)
        graph = self.graph()
        reachable = dijkstra(graph, next(iter(graph)))
        self.assertGreater(len(reachable), 1)


class NorthSmallNetworkTests(NetworkChecks, TestCase):
    region_code, depots, seed = "NORTH", 30, 11


class NorthNetworkTests(NetworkChecks, TestCase):
    region_code, depots, seed = "NORTH", 55, 12


class SouthNetworkTests(NetworkChecks, TestCase):
    region_code, depots, seed = "SOUTH", 45, 21


class SouthLargeNetworkTests(NetworkChecks, TestCase):
    region_code, depots, seed = "SOUTH", 80, 22


class EastNetworkTests(NetworkChecks, TestCase):
    region_code, depots, seed = "EAST", 50, 31


class WestNetworkTests(NetworkChecks, TestCase):
    region_code, depots, seed = "WEST", 60, 41


class AlpsNetworkTests(NetworkChecks, TestCase):
    region_code, depots, seed = "ALPS", 35, 51


class CoastNetworkTests(NetworkChecks, TestCase):
    region_code, depots, seed = "COAST", 70, 61


class SeededRegionTests(TestCase):
    def test_every_installation_has_six_regions(self):
        self.assertEqual(Region.objects.count(), 6)

    def test_alpine_fuel_is_dearest(self):
        self.assertEqual(Region.objects.order_by("-fuel_price").first().code, "ALPS")
