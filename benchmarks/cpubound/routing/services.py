"""Distances, shortest paths and tours over depots and lanes."""

from __future__ import annotations

import heapq
import math
import random

EARTH_KM = 6371.0


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def graph_of(lanes) -> dict[int, list[tuple[int, float]]]:
    """Adjacency lists from (origin_id, destination_id, km) triples."""
    graph: dict[int, list[tuple[int, float]]] = {}
    for origin, destination, km in lanes:
        graph.setdefault(origin, []).append((destination, km))
        graph.setdefault(destination, [])
    return graph


def dijkstra(graph: dict[int, list[tuple[int, float]]], source: int) -> dict[int, float]:
    distances = {source: 0.0}
    queue = [(0.0, source)]
    while queue:
        distance, node = heapq.heappop(queue)
        if distance > distances.get(node, math.inf):
            continue
        for neighbour, km in graph.get(node, ()):
            candidate = distance + km
            if candidate < distances.get(neighbour, math.inf):
                distances[neighbour] = candidate
                heapq.heappush(queue, (candidate, neighbour))
    return distances


def all_pairs(graph) -> dict[int, dict[int, float]]:
    return {node: dijkstra(graph, node) for node in graph}


def tour_length(points: list[tuple[float, float]], order: list[int]) -> float:
    return sum(haversine(points[order[i]], points[order[i - 1]]) for i in range(len(order)))


def nearest_neighbour_tour(points: list[tuple[float, float]]) -> list[int]:
    unvisited = set(range(1, len(points)))
    order = [0]
    while unvisited:
        last = points[order[-1]]
        nearest = min(unvisited, key=lambda i: haversine(last, points[i]))
        order.append(nearest)
        unvisited.remove(nearest)
    return order


def two_opt(points: list[tuple[float, float]], order: list[int], passes: int = 2) -> list[int]:
    """Improve a tour by reversing segments while that shortens it."""
    order = list(order)
    for _ in range(passes):
        improved = False
        for i in range(1, len(order) - 2):
            for j in range(i + 1, len(order)):
                a, b = points[order[i - 1]], points[order[i]]
                c, d = points[order[j - 1]], points[order[j % len(order)]]
                if haversine(a, c) + haversine(b, d) < haversine(a, b) + haversine(c, d) - 1e-9:
                    order[i:j] = reversed(order[i:j])
                    improved = True
        if not improved:
            break
    return order


def kmeans(points: list[tuple[float, float]], k: int, seed: int, rounds: int = 12) -> list[int]:
    """Cluster labels of ``points`` (plain Euclidean on degrees: depots are close together)."""
    rng = random.Random(seed)
    centres = rng.sample(points, k)
    labels = [0] * len(points)
    for _ in range(rounds):
        labels = [
            min(range(k), key=lambda c: (p[0] - centres[c][0]) ** 2 + (p[1] - centres[c][1]) ** 2)
            for p in points
        ]
        for c in range(k):
            members = [p for p, label in zip(points, labels, strict=True) if label == c]
            if members:
                centres[c] = (
                    sum(p[0] for p in members) / len(members),
                    sum(p[1] for p in members) / len(members),
                )
    return labels


def make_network(region, depots: int, seed: int):
    """Depots scattered around a centre and lanes to their nearest neighbours."""
    from .models import Depot, Lane

    rng = random.Random(seed)
    centre = (rng.uniform(40, 55), rng.uniform(-5, 20))
    created = Depot.objects.bulk_create(
        Depot(
            name=f"{region.code}-{i:03d}",
            region=region,
            latitude=centre[0] + rng.uniform(-2, 2),
            longitude=centre[1] + rng.uniform(-3, 3),
            capacity=rng.randint(50, 500),
        )
        for i in range(depots)
    )
    points = [(d.latitude, d.longitude) for d in created]
    lanes = []
    for i, depot in enumerate(created):
        nearest = sorted(range(len(created)), key=lambda j: haversine(points[i], points[j]))[1:5]
        for j in nearest:
            km = haversine(points[i], points[j]) * 1.25
            lanes.append(Lane(origin=depot, destination=created[j], km=km, minutes=int(km / 1.1)))
    Lane.objects.bulk_create(lanes, ignore_conflicts=True)
    return created
