def test_can_create_and_read_a_contact(world, person):
    created = world.post("/contacts", person)
    assert created.status_code == 201, created.body
    body = created.json_body
    assert body["emails"] == ["Helene.Lefevre@exemple.fr"]
    assert body["phones"] == ["+33612345678"]
    got = world.get(f"/contacts/{body['id']}")
    assert got.status_code == 200, got.body
    assert got.json_body["contact"]["last_name"] == "Lefèvre-Dubois"
    found = world.get("/contacts?q=helene%20lefevre")
    assert found.status_code == 200, found.body
    assert [c["id"] for c in found.json_body["items"]] == [body["id"]]
