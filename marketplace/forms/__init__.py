"""Django forms. They check what people type; the services do the writing."""
