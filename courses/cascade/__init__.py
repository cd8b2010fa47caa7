"""The training cascade: certified activists run the curriculum's sessions with community groups
(replica sessions), CEM staff verify them, and coordinators read the reach.

``models`` (districts, groups, replica sessions, named attendees), ``bands`` (the sex × age
cells), ``districts`` (the shipped INEI ubigeo file), ``photos`` (evidence photos checked and
stripped of metadata), ``protocol`` (a replica as a device sends it), ``services`` (groups,
replicas once per client UUID, verification), ``selectors`` (who may report, what each person
sees), ``reach`` and ``charts`` (the dashboard), ``exports`` (de-identified CSV with its data
dictionary), ``forms``, ``views``, ``viewsets`` (districts in the admin), ``tasks`` (certificates
issued once practice is verified) and ``demo``.
"""
