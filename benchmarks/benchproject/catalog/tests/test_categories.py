"""Category tree behaviour."""

from __future__ import annotations

from django.db.models import Count, ProtectedError
from django.test import TestCase

from catalog.models import Category, Product
from catalog.services import active_products_in, descendant_ids

from .factories import make_category, make_products


class CategoryTreeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = make_category("tree-root")
        cls.branches = [make_category(f"tree-branch-{i}", cls.root) for i in range(4)]
        cls.leaves = [
            make_category(f"tree-leaf-{b}-{i}", branch)
            for b, branch in enumerate(cls.branches)
            for i in range(6)
        ]
        for leaf in cls.leaves[:12]:
            make_products(leaf.slug, leaf, 5)

    def test_root_has_four_children(self):
        self.assertEqual(self.root.children.count(), 4)

    def test_descendants_include_every_level(self):
        self.assertEqual(len(descendant_ids(self.root)), 1 + 4 + 24)

    def test_descendants_of_leaf_is_itself(self):
        self.assertEqual(descendant_ids(self.leaves[0]), [self.leaves[0].pk])

    def test_active_products_under_root(self):
        self.assertEqual(active_products_in(self.root).count(), 60)

    def test_active_products_under_branch(self):
        self.assertEqual(active_products_in(self.branches[0]).count(), 30)

    def test_inactive_products_are_hidden(self):
        Product.objects.filter(category=self.leaves[0]).update(is_active=False)
        self.assertEqual(active_products_in(self.branches[0]).count(), 25)

    def test_products_per_leaf(self):
        counts = (
            Category.objects.filter(parent__in=self.branches)
            .annotate(n=Count("products"))
            .values_list("n", flat=True)
        )
        self.assertEqual(sorted(counts), [0] * 12 + [5] * 12)

    def test_deleting_branch_cascades_to_empty_leaves(self):
        branch_id = self.branches[3].pk
        Category.objects.get(pk=branch_id).delete()
        self.assertFalse(Category.objects.filter(parent_id=branch_id).exists())

    def test_category_with_products_is_protected(self):
        with self.assertRaises(ProtectedError):
            self.leaves[0].delete()

    def test_ordering_is_by_slug(self):
        slugs = list(Category.objects.filter(parent=self.root).values_list("slug", flat=True))
        self.assertEqual(slugs, sorted(slugs))

    def test_str_is_name(self):
        self.assertEqual(str(self.root), "Tree Root")
