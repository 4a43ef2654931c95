"""Stage 5, the editors' tools: the scaffold, the reference tool and its services, the literature
watch and pull-request summaries. May import every other stage; none imports it."""
